/** The `refresh` (drift check) handler: compares the recorded state with the cloud, changing neither. */
import { previewRunOptions, type Handler } from './contract.ts';

export const refreshHandler: Handler = async (ctx) => {
  const { drift } = await ctx.engine.refresh(ctx.stack, { previewOnly: true }, previewRunOptions(ctx));
  const record = { checkedAt: new Date().toISOString(), drifted: drift.length > 0, resources: drift };
  ctx.note(drift.length ? `drift found in ${drift.length} resource(s): ${drift.map((d) => `${d.resource} (${d.fields.join(', ') || d.op})`).join('; ')}` : 'no drift: the cloud matches the recorded state');
  return { result: record, drift: record };
};
