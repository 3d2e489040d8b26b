import { startBenchServer } from '/work/wt/mfa-totp/bench/fixtures.js';
import { benchTotpSecondStep } from '/work/wt/mfa-totp/bench/two-factor.js';
for (const kind of (["postgres"]) as ('sqlite' | 'postgres')[]) {
  const s = await startBenchServer(kind);
  try {
    console.log(kind, JSON.stringify(await benchTotpSecondStep(s)));
  } finally {
    await s.close();
  }
}
