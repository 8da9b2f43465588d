/** The templates router: list and get (any authenticated caller), publish, deprecate and rollout previews (platform admins). */
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import { parseTemplate } from '../../platform/templates.ts';
import { deprecateTemplate } from '../templates/deprecate-template.ts';
import { rolloutPreview } from '../templates/rollout-preview.ts';
import { parseTemplateRef, publishMessage, publishTemplate } from '../templates/template-store.ts';
import { templateRowToDetail, templateRowToSummary } from '../templates/template-view.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

/** Largest template document accepted, in UTF-8 bytes. */
export const MAX_TEMPLATE_BYTES = 64 * 1024;

const templateRef = z.string().min(1).max(80);
const yamlDocument = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_TEMPLATE_BYTES, `must be at most ${MAX_TEMPLATE_BYTES} bytes (64 KiB)`);

export const templatesRouter = router({
  list: authedProcedure
    .input(z.strictObject({ all: z.boolean().default(false), name: z.string().max(63).optional(), cloud: z.enum(['sim', 'aws', 'gcp', 'azure']).optional() }).default({ all: false }))
    .query(({ ctx, input }) =>
      (async () => {
        let query = ctx.services.db.selectFrom('templates').selectAll();
        if (input.name !== undefined) query = query.where('name', '=', input.name);
        if (input.cloud !== undefined) query = query.where('cloud', '=', input.cloud);
        if (!input.all) {
          query = query.where(({ eb, selectFrom }) =>
            eb('version', '=', selectFrom('templates as latest').select(({ fn }) => fn.max('latest.version').as('v')).whereRef('latest.name', '=', 'templates.name')),
          );
        }
        const rows = await query.orderBy('name').orderBy('version', 'desc').execute();
        return { items: rows.map(templateRowToSummary) };
      })(),
    ),

  get: authedProcedure.input(z.strictObject({ name: templateRef })).query(({ ctx, input }) =>
    (async () => {
      const { name, version } = parseTemplateRef(input.name);
      const rows = await ctx.services.db.selectFrom('templates').selectAll().where('name', '=', name).orderBy('version', 'desc').execute();
      const row = version === undefined ? rows[0] : rows.find((r) => r.version === version);
      if (!row) throw new DomainError('NOT_FOUND', `template ${input.name} does not exist`, { hint: 'list templates with `kaas templates list --all`' });
      return { ...templateRowToDetail(row), versions: rows.map((r) => r.version).reverse() };
    })(),
  ),

  publish: adminProcedure.input(z.strictObject({ yaml: yamlDocument })).mutation(({ ctx, input }) =>
    (async () => {
      const definition = parseTemplate(input.yaml, 'published template');
      ctx.audit.target = definition.name;
      const outcome = await publishTemplate(ctx.services.db, definition, ctx.actor.subject, 'api');
      const { template, created } = outcome;
      ctx.audit.target = template.ref;
      const row = await ctx.services.db.selectFrom('templates').selectAll().where('id', '=', template.id).executeTakeFirstOrThrow();
      // versions are assigned by the platform; `message` says what became of the file's `version:`
      return { template: templateRowToDetail(row), created, message: publishMessage(definition.version, outcome) };
    })(),
  ),

  /** What rolling version `toVersion` out to the clusters built from older versions would change. */
  rolloutPreview: adminProcedure
    .input(z.strictObject({ name: z.string().min(1).max(63), fromVersion: z.int().min(1).optional(), toVersion: z.int().min(1) }))
    .query(({ ctx, input }) => rolloutPreview(ctx.services.db, input)),

  deprecate: adminProcedure.input(z.strictObject({ name: templateRef, message: z.string().trim().min(1, 'say why, and what to use instead').max(500) })).mutation(({ ctx, input }) =>
    (async () => {
      const rows = await deprecateTemplate(ctx.services.db, input.name, input.message);
      return { items: rows.map(templateRowToSummary) };
    })(),
  ),
});
