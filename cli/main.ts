#!/usr/bin/env -S node --disable-warning=ExperimentalWarning
/** The `kaas` command-line entry point. */
import { cliEnvironment } from './config.ts';
import { run } from './program.ts';

const code = await run(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: cliEnvironment(),
  stdinIsTTY: process.stdin.isTTY === true,
});
process.exitCode = code;
