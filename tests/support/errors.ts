/** Assertions on errors thrown by routers through createCaller. */
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** Awaits `promise`, expecting a TRPCError with `code` (and a message matching `message`). */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], message?: RegExp): Promise<TRPCError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}, but the call succeeded`).toBeInstanceOf(TRPCError);
  const trpc = err as TRPCError;
  expect({ code: trpc.code, message: trpc.message }).toMatchObject({ code, ...(message ? { message: expect.stringMatching(message) } : {}) });
  return trpc;
}
