// Types of scripts/process-tree.mjs (for the tests).
import type { ChildProcess } from 'node:child_process';

export declare function npmCommand(input: {
  platform: NodeJS.Platform;
  execPath: string;
  npmExecPath?: string;
  exists?: (path: string) => boolean;
}): { command: string; args: string[]; shell: boolean };

export declare function treeSpawnOptions(platform: NodeJS.Platform): { detached: boolean; windowsHide?: boolean };

export declare function treeKillPlan(input: { platform: NodeJS.Platform; pid: number; signal?: NodeJS.Signals }):
  | { kind: 'signal-group'; pid: number; signal: NodeJS.Signals }
  | { kind: 'command'; command: string; args: string[] };

export declare function killTree(child: ChildProcess | null | undefined, signal?: NodeJS.Signals, platform?: NodeJS.Platform): void;

export declare function serverCommand(input: { execPath: string; port: string; logFile: string }): { command: string; args: string[] };
