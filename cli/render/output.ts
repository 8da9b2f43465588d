/** Output formats: a table (or text) for people, JSON or YAML of the same data for scripts. */
import YAML from 'yaml';
import { usageError } from '../errors.ts';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: string | undefined): OutputFormat {
  const v = value ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(v)) throw usageError(`--output "${v}" is not one of ${OUTPUT_FORMATS.join(', ')}`);
  return v as OutputFormat;
}

/** Data as text in `format`; `table` uses the command's own renderer. */
export function formatData<T>(data: T, format: OutputFormat, table: (data: T) => string): string {
  if (format === 'json') return JSON.stringify(data, null, 2);
  if (format === 'yaml') return YAML.stringify(data).trimEnd();
  return table(data);
}
