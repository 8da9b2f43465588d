/** The boundary wrapper of the resource routers: domain errors become tRPC errors. */
import { DomainError } from '../../platform/errors.ts';
import { toTrpcError } from '../errors.ts';

/** Runs `fn`, turning a thrown DomainError into the TRPCError of its code. */
export async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError) throw toTrpcError(err);
    throw err;
  }
}
