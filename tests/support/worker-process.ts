/**
 * A worker process (tests/fixtures/worker-paused/child.ts) driven over stdin: it runs operations
 * with `runOperation` and a fake engine, and reports engine calls and outcomes as JSON lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../fixtures/worker-paused/child.ts', import.meta.url));

export type Line = { ready?: true; working?: true; engine?: string; stack?: string; done?: string; outcome?: string; error?: string };

/** One worker process and the JSON lines it printed. */
export class WorkerProcess {
  readonly proc: ChildProcess;
  readonly lines: Line[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;
  constructor(url: string, home: string, applicationName?: string) {
    this.proc = spawn(process.execPath, [CHILD, url, home, ...(applicationName ? [applicationName] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    this.proc.stdout!.on('data', (c: Buffer) => {
      buf += String(c);
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.startsWith('{')) this.lines.push(JSON.parse(p) as Line);
    });
    this.proc.stderr!.on('data', (c: Buffer) => (this.stderr += String(c)));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve((this.exitCode = code))));
  }
  send(line: string): void {
    this.proc.stdin!.write(line + '\n');
  }
  engineCalls(): string[] {
    return this.lines.filter((l) => l.engine).map((l) => l.engine!);
  }
  async until(what: string, ok: () => boolean): Promise<void> {
    while (!ok()) {
      if (this.exitCode !== undefined) throw new Error(`worker exited (${this.exitCode}) while waiting for ${what}:\n${this.stderr}`);
      await sleep(20);
    }
  }
  /** Runs `operationId` and resolves with its outcome. */
  async run(operationId: string): Promise<string> {
    this.send(`run ${operationId}`);
    return this.outcome(operationId);
  }
  /** The outcome of the run of `operationId` already sent, once it returns. */
  async outcome(operationId: string): Promise<string> {
    await this.until(`run ${operationId}`, () => this.lines.some((l) => l.done === operationId));
    return this.lines.find((l) => l.done === operationId)!.outcome!;
  }
}
