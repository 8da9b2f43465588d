/**
 * Prints the test run's closing line, `N passed, N failed, N skipped`, from vitest's JSON report
 * (the runner's own result, not a count scraped from its console output), and exits non-zero
 * when any test or test file failed or the report is missing. Used by scripts/test.sh.
 *
 *   node scripts/test-summary.ts REPORT.json [RUNNER_EXIT_CODE]
 */
import fs from 'node:fs';

interface VitestJsonReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  numTotalTests: number;
  testResults: { name: string; status: string; message?: string }[];
}

const [file, runnerExit = '0'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/test-summary.ts REPORT.json [RUNNER_EXIT_CODE]');
  process.exit(2);
}
let report: VitestJsonReport;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestJsonReport;
} catch (err) {
  console.error(`test-summary: no readable vitest JSON report at ${file} (${(err as Error).message}); the runner did not finish`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// a file that fails to load has no failed test, but it is a failure all the same
const brokenFiles = report.testResults.filter((r) => r.status === 'failed' && !!r.message);
for (const r of brokenFiles) console.error(`test-summary: ${r.name} failed to run: ${r.message!.split('\n')[0]}`);
const failed = report.numFailedTests + brokenFiles.length;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
const ok = report.success && failed === 0 && report.numFailedTestSuites === 0 && runnerExit === '0';
process.exit(ok ? 0 : 1);
