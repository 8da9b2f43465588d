#!/usr/bin/env node
/**
 * `bash scripts/start.sh` (or `node api/main.ts`): runs the platform (API + worker by default; KAAS_ROLE=api or worker runs one).
 * SIGTERM/SIGINT stop it gracefully: the worker stops taking work and interrupts running
 * operations so another worker resumes them.
 */
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startPlatform } from './platform-process.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`kaas: ${(err as Error).message}\n`);
  process.exit(2);
}
// a terminal gets readable lines and the messages for people; a pipe gets JSON lines only, with
// the messages for people on stderr
const pretty = process.stdout.isTTY === true;
const logger = createLogger(config.logLevel, { pretty });
const say = (line: string) => void (pretty ? process.stdout : process.stderr).write(line + '\n');
try {
  const platform = await startPlatform(config, { logger, print: say });
  if (platform.url) say(`kaas is running at ${platform.url} (role: ${config.role}, home: ${config.home})`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    platform.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (err) {
  process.stderr.write(`kaas: start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
}
