// Types of scripts/signing.mjs (for the tests).
export declare function signingPlan(input: { platform: 'mac' | 'win' | 'linux'; env: Record<string, string | undefined> }): {
  config: Record<string, Record<string, unknown>>;
  signed: boolean;
  notes: string[];
};

export declare function publishPlan(input: { env: Record<string, string | undefined>; signed: boolean; platform: 'mac' | 'win' | 'linux' }): {
  publish: Array<{ provider: 'generic'; url: string }> | null;
  note: string | null;
};
