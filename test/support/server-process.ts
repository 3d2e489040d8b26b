import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/**
 * How long a spawned server may take to say it listens: a correctness bound
 * ("it starts at all"), not a speed target. `--seed-demo` acts out the demo
 * firm's story through the services (hundreds of entries and invoices), which
 * on a loaded machine and PostgreSQL takes several seconds.
 */
export const SPAWN_START_LIMIT_MS = 90_000;
/** Timeout for a test or hook that spawns a server: the start limit plus room for its own requests. */
export const SPAWN_TEST_TIMEOUT = 120_000;

/** The server as its own OS process, started exactly as `npm run server` does (tsx on the CLI). */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', '--port', '0', ...args], {
    cwd: repoRoot,
    env: { ...process.env, TAB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (out += String(c)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), SPAWN_START_LIMIT_MS);
    const check = () => {
      const match = /TAB server listening on (http\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`server exited early:\n${out}`)));
  });
  return { url, child, output: () => out, exited };
}
