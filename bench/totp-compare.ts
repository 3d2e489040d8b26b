// One sitting's before/after figure for issue #15 (docs in bench/RESULTS.md): the TOTP second step on both stores.
import { startBenchServer } from './fixtures.js';
import { benchTotpSecondStep } from './two-factor.js';

for (const kind of ['postgres', 'sqlite'] as const) {
  const server = await startBenchServer(kind);
  try {
    console.log(kind, JSON.stringify(await benchTotpSecondStep(server, Number(process.env.SAMPLES ?? 300))));
  } finally {
    await server.close();
  }
}
