/** The operations router: `events`, an operation's events live over SSE (tRPC subscription). */
import { z } from 'zod';
import { openOperationEventStream } from '../operations/operation-stream.ts';
import { authedProcedure, router } from '../trpc.ts';

export const operationsRouter = router({
  events: authedProcedure
    .input(
      z.strictObject({
        operationId: z.string().regex(/^o[a-z0-9]{12}$/, 'not an operation id (o + 12 characters)'),
        after: z.int().min(0).max(2_147_483_647).optional(),
        /** Set by tRPC's httpSubscriptionLink when it reconnects: the seq of the last event it got. */
        lastEventId: z.string().max(20).nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) => openOperationEventStream(ctx, input, signal)),
});
