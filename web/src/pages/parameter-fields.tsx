/**
 * Form fields generated from a template's parameters (type, allowed values, bounds, default),
 * used by Create and Update. Values stay text until submitted as `--set name=value`, so the API
 * (not the browser) decides what is valid and its field errors show next to the field.
 */
import type { FieldIssue } from '../api.ts';

/** A parameter as the API's template definition carries it. */
export interface Parameter {
  type: string;
  default: unknown;
  description: string;
  allowed?: (string | number)[];
  min?: number;
  max?: number;
}

/** Values the user changed, by parameter name, as text. */
export type ParameterValues = Record<string, string>;

/** The `set` entries for the changed values. */
export function setFlagsFor(values: ParameterValues): string[] {
  return Object.entries(values).map(([k, v]) => `${k}=${v}`);
}

function text(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : v === undefined || v === null ? '' : String(v);
}

export function ParameterFields({ parameters, current = {}, values, onChange, issues }: { parameters: Record<string, Parameter>; current?: Record<string, string>; values: ParameterValues; onChange: (v: ParameterValues) => void; issues: FieldIssue[] }) {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return <p className="muted">This template has no parameters.</p>;
  return (
    <fieldset>
      <legend>Parameters</legend>
      {entries.map(([name, p]) => {
        const id = `param-${name}`;
        const value = values[name] ?? current[name] ?? text(p.default);
        const issue = issues.find((i) => i.path === name || i.path === `set.${name}`);
        const set = (v: string) => onChange({ ...values, [name]: v });
        const describedBy = [`${id}-help`, issue ? `${id}-err` : ''].filter(Boolean).join(' ');
        const common = { id, name, 'aria-describedby': describedBy, 'aria-invalid': issue ? true : undefined } as const;
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>{name}</label>
            {p.type === 'boolean' ? (
              <select {...common} value={value} onChange={(e) => set(e.target.value)}><option>true</option><option>false</option></select>
            ) : p.allowed && p.type !== 'string-list' ? (
              <select {...common} value={value} onChange={(e) => set(e.target.value)}>{p.allowed.map((a) => <option key={String(a)}>{String(a)}</option>)}</select>
            ) : (
              <input {...common} inputMode={p.type === 'integer' ? 'numeric' : undefined} value={value} onChange={(e) => set(e.target.value)} />
            )}
            <p className="help" id={`${id}-help`}>
              {p.description} ({p.type}{p.min !== undefined ? `, min ${p.min}` : ''}{p.max !== undefined ? `, max ${p.max}` : ''}{p.type === 'string-list' ? ', comma-separated' : ''}; default {text(p.default)})
            </p>
            {issue && <p className="field-error" id={`${id}-err`}>{issue.message}</p>}
          </div>
        );
      })}
    </fieldset>
  );
}
