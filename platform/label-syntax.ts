/**
 * Kubernetes name and label syntax: the one rule used by spec validation, templates, fleet
 * selectors, the API's inputs and the CLI's `--label` parser. Free of zod, so the CLI bundle
 * leaves zod out; the zod schemas built on these rules are in label-schemas.ts.
 * See https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
/**
 * A DNS label as kaas uses it for cluster and node pool names: lowercase a-z, 0-9 and '-',
 * starting with a letter and ending with a letter or digit. Length is checked separately.
 */
export const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Why `name` is not a DNS label of at most `maxLength` characters, or undefined when it is. */
export function dnsLabelProblem(name: string, maxLength: number): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > maxLength) return `must be at most ${maxLength} characters (got ${name.length})`;
  if (!DNS_LABEL.test(name)) {
    return 'must contain only lowercase letters a-z, digits and "-", start with a letter and end with a letter or digit';
  }
  return undefined;
}

/** Why `key` is not a Kubernetes label key (`[prefix/]name`), or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `label key "${key}" may contain at most one "/"`;
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `label key prefix "${prefix}" must be a lowercase DNS subdomain of at most 253 characters`;
    }
  }
  if (name.length === 0 || name.length > 63) return `label key name "${name}" must be 1..63 characters`;
  if (!LABEL_NAME.test(name)) {
    return `label key name "${name}" must be alphanumeric, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value (empty allowed), or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `label value must be at most 63 characters (got ${value.length})`;
  if (value.length > 0 && !LABEL_NAME.test(value)) {
    return `label value "${value}" must be alphanumeric, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

/** Why `key`=`value` is not a Kubernetes label, or undefined when it is: the one label rule. */
export function labelProblem(key: string, value: string): string | undefined {
  return labelKeyProblem(key) ?? labelValueProblem(value);
}

/** Most labels (or tags) on one object. */
export const MAX_LABELS = 50;

/** Why a label map has too many entries, or undefined. */
export function labelCountProblem(count: number, max = MAX_LABELS): string | undefined {
  return count > max ? `at most ${max} entries allowed (got ${count})` : undefined;
}
