/** A plain-text table: a header row, then rows, columns padded to the widest cell. */

export interface Column<T> {
  header: string;
  /** The cell text; null and undefined print as "-". */
  value: (row: T) => string | number | boolean | null | undefined;
  /** Right-align (numbers). */
  align?: 'left' | 'right';
}

/** Display width of a string: code points, so "✓" counts as one. */
function width(text: string): number {
  return [...text].length;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  // one line per row: newlines and tabs would break the columns
  return String(value).replace(/[\r\n\t]+/g, ' ');
}

/** Renders rows as a table; an empty list renders as `emptyText`. Lines end without padding. */
export function renderTable<T>(columns: Column<T>[], rows: readonly T[], emptyText = 'nothing to show'): string {
  if (rows.length === 0) return emptyText;
  const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => {
        const pad = ' '.repeat(widths[i]! - width(v));
        return columns[i]!.align === 'right' ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Renders key/value pairs, keys padded: for `get` commands. */
export function renderDetails(pairs: [string, string | number | boolean | null | undefined][]): string {
  const w = Math.max(...pairs.map(([k]) => width(k))) + 1;
  return pairs.map(([k, v]) => `${(k + ':').padEnd(w)}  ${cell(v)}`).join('\n');
}
