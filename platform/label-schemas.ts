/** zod schemas of Kubernetes labels, built on the one label rule in label-syntax.ts. */
import { z } from 'zod';
import { labelCountProblem, labelKeyProblem, labelValueProblem, MAX_LABELS } from './label-syntax.ts';

const problemCheck = (problemOf: (v: string) => string | undefined) =>
  z.string().check(
    z.superRefine((v: string, ctx) => {
      const problem = problemOf(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
    }),
  );

/** zod schema of a label key (`labelKeyProblem`). */
export const labelKeySchema = problemCheck(labelKeyProblem);
/** zod schema of a label value (`labelValueProblem`). */
export const labelValueSchema = problemCheck(labelValueProblem);

/** zod schema of a label map of at most `max` entries; absent means empty. */
export const labelMapSchema = (max = MAX_LABELS) =>
  z
    .record(labelKeySchema, labelValueSchema)
    .superRefine((m, ctx) => {
      const problem = labelCountProblem(Object.keys(m).length, max);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default({});
