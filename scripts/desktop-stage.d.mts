// Types of scripts/desktop-stage.mjs (for test/electron/start-script.test.ts).

export declare const STAGE_DEPENDENCIES: readonly string[];
export declare const STAGE_NATIVE_BINARIES: readonly string[];
export declare const STAMP_FILE: string;

export interface StagePackageJson {
  name: string;
  productName: string;
  version: string;
  description: string;
  author: string;
  license: string;
  private: true;
  main: string;
  dependencies: Record<string, string>;
}

export interface StageStamp {
  electronVersion: string;
  platform: string;
  arch: string;
  dependencies: Record<string, string>;
}

export interface RootLockfile {
  packages: Record<string, { version?: string; integrity?: string; dependencies?: Record<string, string>; [field: string]: unknown }>;
  [field: string]: unknown;
}

export declare function lockedVersion(rootLock: RootLockfile, name: string): string;

export declare function stagePackageJson(
  rootPkg: {
    version: string;
    description: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  },
  rootLock: RootLockfile,
): StagePackageJson;

export declare function stageLockfile(
  rootLock: RootLockfile,
  manifest: StagePackageJson,
): { name: string; version: string; lockfileVersion: 3; requires: true; packages: Record<string, Record<string, unknown> & { version?: string; integrity?: string; dependencies?: Record<string, string> }> };

export declare function stageStamp(input: StageStamp): StageStamp;

export declare function stageStatus(
  previous: unknown,
  expected: StageStamp,
  options: { nativeBinariesPresent: boolean },
): { upToDate: boolean; reason: string };

export declare function parsePackageArgs(argv: readonly string[]): {
  stageOnly: boolean;
  buildRenderer: boolean;
  builderArgs: string[];
};

export declare function desktopPlan(input: { electronBinary: string | null; noDesktop: boolean }): {
  stage: boolean;
  message: string | null;
};

export declare function installedElectronBinary(io: {
  electronDir: string;
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  readText: (path: string) => string | null;
  join: (...parts: string[]) => string;
}): string | null;
