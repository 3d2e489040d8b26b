// Prints vitest's JSON report as one plain closing line: "N passed, N failed, N skipped",
// preceded by the skipped tests, each named with why. One skip is expected everywhere the
// Electron binary cannot be installed (our CI machines): the `_electron` smoke test, whose
// checks run through the stand-in electron (test/electron/startup-wiring.test.ts) instead.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const EXPECTED_SKIPS = {
  'test/electron/electron-smoke.test.ts':
    'no Electron binary on this machine (it cannot be downloaded here); the same checks run through the stand-in in test/electron/startup-wiring.test.ts',
};

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`No test report at ${file}: the test run did not finish.`);
  process.exit(0);
}

const skipped = [];
for (const suite of report.testResults ?? []) {
  const path = relative(process.cwd(), suite.name).replaceAll('\\', '/');
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skipped.push({ path, name: test.fullName ?? test.title });
  }
}
for (const { path, name } of skipped) {
  const why = EXPECTED_SKIPS[path] ?? (process.env.CI === 'true' ? 'SKIPPED UNDER CI=true — a missing system part should have failed it' : 'see its output above for the reason');
  console.log(`skipped: ${path} › ${name} — ${why}`);
}

const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) + (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
const skippedCount = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skippedCount} skipped`);
