/**
 * The worker: takes operation jobs from the queue and runs them. On shutdown it stops taking work,
 * aborts its running engine operations (Pulumi cancels them cleanly and releases the stack lock),
 * and puts those operations back in the queue for another worker.
 */
import type { Services } from '../context.ts';
import type { OperationQueue } from '../queue/operation-queue.ts';
import { runOperation, type RunSettings } from './run-operation.ts';

export interface Worker {
  /** Stops taking work and interrupts running operations; resolves when they have stopped. */
  stop(): Promise<void>;
  /** Operations running now. */
  running(): number;
}

/** Starts taking jobs: `concurrency` at a time in this process, at most `config.teamMaxRunning` of one team across every worker. */
export async function startWorker(services: Services, queue: OperationQueue, concurrency: number, settings: RunSettings): Promise<Worker> {
  const shutdown = new AbortController();
  const running = new Set<Promise<unknown>>();
  await queue.work({ concurrency, teamMaxRunning: services.config.teamMaxRunning }, async (job) => {
    if (shutdown.signal.aborted) throw new Error('worker shutting down');
    const signal = AbortSignal.any([shutdown.signal, job.signal]);
    const task = runOperation(services, job.data.operationId, settings, signal);
    running.add(task);
    // one line each way, so an operator (and the fleet test) knows which operations a process held
    services.logger.info({ operationId: job.data.operationId, job: job.id }, 'operation job started');
    let outcome: Awaited<typeof task> | 'error' = 'error';
    try {
      outcome = await task;
      // pg-boss retries a failed job: that is how an interrupted operation moves to another worker
      if (outcome === 'interrupted') throw new Error(`operation ${job.data.operationId} interrupted by worker shutdown`);
      // 'superseded': a newer attempt owns the operation; this one stopped without writing
    } finally {
      running.delete(task);
      services.logger.info({ operationId: job.data.operationId, job: job.id, outcome }, 'operation job ended');
    }
  });
  return {
    running: () => running.size,
    async stop() {
      // interrupt first and let each handler fail its job (so pg-boss retries it at once on
      // another worker); only then stop fetching — a stopped fetch loop settles nothing, and an
      // unsettled job would wait for its heartbeat to lapse
      shutdown.abort();
      await Promise.allSettled([...running]);
      await queue.stopWorking();
    },
  };
}
