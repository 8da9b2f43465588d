/**
 * JSON data as YAML text (block style), for showing templates without shipping a YAML library
 * to the browser. Strings that YAML would read as something else are quoted as JSON strings
 * (valid YAML); keys are emitted in the order the API sent them.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@${}-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalar(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  return String(v);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
}

function lines(v: unknown, indent: string): string[] {
  if (Array.isArray(v)) {
    return v.flatMap((item) => {
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        const [first, ...rest] = lines(item, `${indent}  `);
        return [`${indent}- ${first!.trimStart()}`, ...rest];
      }
      return [`${indent}- ${isEmpty(item) ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`];
    });
  }
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v).flatMap(([k, val]) => {
      const key = scalar(k);
      if (typeof val === 'object' && val !== null && !isEmpty(val)) return [`${indent}${key}:`, ...lines(val, Array.isArray(val) ? indent : `${indent}  `)];
      return [`${indent}${key}: ${isEmpty(val) ? (Array.isArray(val) ? '[]' : '{}') : scalar(val)}`];
    });
  }
  return [`${indent}${scalar(v)}`];
}

/** The YAML text of `value`. */
export function toYaml(value: unknown): string {
  if (isEmpty(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  return lines(value, '').join('\n') + '\n';
}
