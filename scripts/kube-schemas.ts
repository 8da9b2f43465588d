/**
 * Writes the JSON schemas kubeconform validates rendered manifests against, one file per kind in
 * kubeconform's naming (`{{ .ResourceKind }}{{ .KindSuffix }}.json`, e.g. `deployment-apps-v1.json`,
 * `service-v1.json`; yannh/kubeconform pkg/registry/registry.go@v0.8.0), from two real sources:
 *
 * - the Kubernetes OpenAPI v2 spec, `api/openapi-spec/swagger.json` of the k8s.io/kubernetes Go
 *   module at a release tag (every built-in kind with `x-kubernetes-group-version-kind`);
 * - CustomResourceDefinition YAML files (e.g. prometheus-operator's ServiceMonitor CRD,
 *   `example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml`), each served
 *   version's `schema.openAPIV3Schema`.
 *
 * The conversion follows what kubeconform's own `scripts/openapi2jsonschema.py` does for its
 * "standalone-strict" schemas: every file is self-contained (references become local
 * `#/definitions/...`), objects with declared properties refuse unknown fields
 * (`additionalProperties: false`, which is what catches a misspelt field), optional fields may be
 * null, `IntOrString` is a string or an integer and `Quantity` a string or a number (as the API
 * server's JSON decoding accepts both).
 *
 * Usage: node scripts/kube-schemas.ts <out-dir> <swagger.json> [crd.yaml ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, any>;

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** kubeconform's file name for a kind at an apiVersion (registry.go@v0.8.0: group's first label). */
export function schemaFileName(kind: string, apiVersion: string): string {
  const [groupOrVersion, version] = apiVersion.split('/');
  const suffix = version === undefined ? `-${groupOrVersion!.toLowerCase()}` : `-${groupOrVersion!.split('.')[0]!.toLowerCase()}-${version.toLowerCase()}`;
  return `${kind.toLowerCase()}${suffix}.json`;
}

function allowNull(schema: Schema): Schema {
  if (schema.$ref) return { anyOf: [schema, { type: 'null' }] };
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (schema.oneOf) return { ...schema, oneOf: [...schema.oneOf, { type: 'null' }] };
  return schema;
}

/** One OpenAPI (v2 definition or v3 CRD) node as strict JSON schema; `refs` collects referenced definitions. */
function convert(node: Schema, refs: Set<string>): Schema {
  if (node.$ref) {
    const name = String(node.$ref).replace(/^#\/(definitions|components\/schemas)\//, '');
    if (name === QUANTITY) return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    if (name === INT_OR_STRING) return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    refs.add(name);
    return { $ref: `#/definitions/${name}` };
  }
  if (node.allOf?.length === 1 && node.allOf[0].$ref) return convert({ ...node.allOf[0] }, refs);
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string'] === true) return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  const out: Schema = {};
  for (const key of ['type', 'format', 'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'required', 'description']) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  // CRD schemas use `format` freely (int32, date-time, ...); keep only what draft-07 checks harmlessly
  if (out.format && !['int32', 'int64', 'double', 'float', 'byte', 'date-time'].includes(out.format)) delete out.format;
  if (node.properties) {
    out.properties = {};
    const required = new Set<string>(node.required ?? []);
    for (const [key, value] of Object.entries<Schema>(node.properties)) {
      const converted = convert(value, refs);
      out.properties[key] = required.has(key) ? converted : allowNull(converted);
    }
  }
  if (node.items) out.items = convert(node.items, refs);
  for (const key of ['oneOf', 'anyOf'] as const) if (node[key]) out[key] = node[key].map((n: Schema) => convert(n, refs));
  if (node['x-kubernetes-preserve-unknown-fields'] === true) {
    delete out.additionalProperties;
  } else if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'object' ? convert(node.additionalProperties, refs) : node.additionalProperties;
  } else if (node.properties) {
    out.additionalProperties = false;
  }
  if (node.nullable === true) return allowNull(out);
  return out;
}

/** A self-contained schema for `root`, with every definition it reaches (recursion included) inlined under `definitions`. */
function standalone(root: Schema, definitions: Record<string, Schema>): Schema {
  const refs = new Set<string>();
  const schema: Schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...convert(root, refs) };
  const defs: Record<string, Schema> = {};
  const queue = [...refs];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (defs[name]) continue;
    const def = definitions[name];
    if (!def) throw new Error(`the spec references ${name}, which it does not define`);
    const nested = new Set<string>();
    defs[name] = convert(def, nested);
    for (const n of nested) if (!defs[n]) queue.push(n);
  }
  if (Object.keys(defs).length > 0) schema.definitions = defs;
  return schema;
}

function write(outDir: string, kind: string, apiVersion: string, schema: Schema, written: Map<string, string>): void {
  const file = schemaFileName(kind, apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const previous = written.get(file);
  // two groups sharing a first label (networking.k8s.io, networking.x-k8s.io) map to one file: the Kubernetes one wins
  const builtIn = (g: string) => !g.includes('.') || g.endsWith('.k8s.io');
  if (previous !== undefined && builtIn(previous) && !builtIn(group)) return;
  written.set(file, group);
  fs.writeFileSync(path.join(outDir, file), JSON.stringify(schema));
}

function main(): void {
  const [outDir, swaggerFile, ...crdFiles] = process.argv.slice(2);
  if (!outDir || !swaggerFile) throw new Error('usage: node scripts/kube-schemas.ts <out-dir> <swagger.json> [crd.yaml ...]');
  fs.mkdirSync(outDir, { recursive: true });
  const written = new Map<string, string>();
  const definitions = (JSON.parse(fs.readFileSync(swaggerFile, 'utf8')) as { definitions: Record<string, Schema> }).definitions;
  for (const def of Object.values(definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as { group: string; version: string; kind: string }[]) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      write(outDir, gvk.kind, apiVersion, standalone(def, definitions), written);
    }
  }
  for (const file of crdFiles) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[] } };
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        if (!v.served || !v.schema) continue;
        write(outDir, crd.spec.names.kind, `${crd.spec.group}/${v.name}`, standalone(v.schema.openAPIV3Schema, {}), written);
      }
    }
  }
  process.stderr.write(`kube-schemas: wrote ${written.size} schemas to ${outDir}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
