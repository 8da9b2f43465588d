/** Converts zod issues to kaas field issues with dotted paths (`nodePools.0.name`). */
import type { z } from 'zod';
import type { FieldIssue } from './errors.ts';

/** Maps zod issues to `FieldIssue`s, joining paths with dots and naming unknown keys. */
export function zodIssuesToFieldIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them` };
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      return { path, message: `invalid key: ${issue.issues.map((i) => i.message).join('; ')}` };
    }
    return { path, message: issue.message };
  });
}
