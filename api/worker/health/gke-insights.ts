/**
 * GKE deprecation insights as preflight findings, read through the Recommender API
 * (`@google-cloud/recommender`): `ListInsights` on
 * `projects/{project}/locations/{location}/insightTypes/google.container.DiagnosisInsight`
 * (https://cloud.google.com/recommender/docs/reference/rest/v1/projects.locations.insightTypes.insights/list),
 * keeping the ACTIVE insights whose `insightSubtype` is a deprecation removed in the next minor
 * (`DEPRECATION_K8S_1_32_API`, `DEPRECATION_K8S_1_25_PODSECURITYPOLICY`, …: the subtype table of
 * https://cloud.google.com/kubernetes-engine/docs/deprecations/viewing-deprecation-insights-and-recommendations)
 * and whose `targetResources` name this cluster (`//container.googleapis.com/projects/P/locations/L/clusters/NAME`).
 * GKE generates such an insight only once it has seen the deprecated usage, so each one counts as in use.
 * The insight's `content` is a free-form Struct the reference leaves undocumented; the APIs it names
 * (REST paths `/apis/group/version/resource`, or objects with group/version/resource fields) become one
 * finding each, and an insight naming none is one finding whose resource is its subtype, so it still
 * blocks. Subtypes without a version in their name (`DEPRECATION_K8S_SHA_1_CERTIFICATE`) are not read.
 * Credentials: Application Default Credentials of the worker; permission
 * `recommender.containerDiagnosisInsights.list` (roles/recommender.containerDiagnosisViewer).
 */
import { RecommenderClient } from '@google-cloud/recommender';
import type { DeprecatedApiInUse } from '../../../platform/cluster-probe.ts';
import { parseApiUsage } from './eks-insights.ts';

export const GKE_DIAGNOSIS_INSIGHT_TYPE = 'google.container.DiagnosisInsight';

/** The part of a Recommender insight (REST JSON / client object) this reader uses. */
export interface GkeInsight {
  name?: string | null;
  insightSubtype?: string | null;
  targetResources?: readonly string[] | null;
  content?: unknown;
  stateInfo?: { state?: unknown } | null;
}

/** `DEPRECATION_K8S_1_32_API` → `1.32`; undefined when the subtype is not a versioned deprecation. */
export function removalMinorOfSubtype(subtype: string | null | undefined): string | undefined {
  const m = /^DEPRECATION_K8S_(\d+)_(\d+)(?:_|$)/.exec(subtype ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The Struct as plain JSON: the gRPC/REST client returns `{ fields: { k: { stringValue } } }`. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = value as Record<string, any>;
  if (Array.isArray(value)) return value.map(plain);
  if ('fields' in v && v.fields && typeof v.fields === 'object' && Object.keys(v).every((k) => k === 'fields')) {
    return Object.fromEntries(Object.entries(v.fields as Record<string, unknown>).map(([k, x]) => [k, plain(x)]));
  }
  if ('stringValue' in v) return v.stringValue;
  if ('numberValue' in v) return v.numberValue;
  if ('boolValue' in v) return v.boolValue;
  if ('nullValue' in v) return null;
  if ('structValue' in v) return plain(v.structValue);
  if ('listValue' in v) return ((v.listValue?.values ?? []) as unknown[]).map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

/** Every API the content names: REST paths in strings, or `{ group|apiGroup, version|apiVersion, resource }` objects. */
function apisIn(content: unknown, out: Pick<DeprecatedApiInUse, 'group' | 'version' | 'resource'>[] = []) {
  if (typeof content === 'string') {
    const api = parseApiUsage(content.trim());
    if (api) out.push(api);
  } else if (Array.isArray(content)) {
    for (const c of content) apisIn(c, out);
  } else if (content && typeof content === 'object') {
    const o = content as Record<string, unknown>;
    const group = o.group ?? o.apiGroup;
    const version = o.version ?? o.apiVersion;
    if (typeof o.resource === 'string' && typeof version === 'string') {
      const [g, v] = version.includes('/') ? version.split('/', 2) : [typeof group === 'string' ? group : '', version];
      out.push({ group: g!, version: v!, resource: o.resource });
    } else {
      for (const c of Object.values(o)) apisIn(c, out);
    }
  }
  return out;
}

/** The Recommender target resource of a GKE cluster. */
export function gkeClusterResource(project: string, location: string, clusterName: string): string {
  return `//container.googleapis.com/projects/${project}/locations/${location}/clusters/${clusterName}`;
}

/** The findings of `insights` for the upgrade of `cluster` (its target resource) to `nextMinor`. */
export function deprecationsOfInsights(insights: readonly GkeInsight[], cluster: string, nextMinor: string): DeprecatedApiInUse[] {
  const found: DeprecatedApiInUse[] = [];
  const seen = new Set<string>();
  for (const insight of insights) {
    const removedRelease = removalMinorOfSubtype(insight.insightSubtype);
    if (removedRelease !== nextMinor) continue;
    const state = insight.stateInfo?.state;
    if (state !== undefined && state !== null && state !== 'ACTIVE' && state !== 1) continue;
    // a project-wide list: only this cluster's (a trailing segment must not match a longer name)
    if (!(insight.targetResources ?? []).some((r) => r === cluster || r.endsWith(cluster.replace(/^\/\/container\.googleapis\.com/, '')))) continue;
    const apis = apisIn(plain(insight.content));
    for (const api of apis.length ? apis : [{ group: '', version: '', resource: insight.insightSubtype! }]) {
      const key = `${api.group}/${api.version}/${api.resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ ...api, removedRelease, source: 'gke-deprecation-insights' });
    }
  }
  return found;
}

export interface GkeInsightsOptions {
  /** Test seams: a local REST server (`http://127.0.0.1:PORT`) and a static auth client. */
  endpoint?: string;
  authClient?: unknown;
}

/** The deprecated APIs GKE deprecation insights report in use for the upgrade of `clusterName` to `nextMinor`. */
export async function gkeDeprecationInsights(project: string, location: string, clusterName: string, nextMinor: string, options: GkeInsightsOptions = {}): Promise<DeprecatedApiInUse[]> {
  const url = options.endpoint ? new URL(options.endpoint) : undefined;
  // REST transport (`fallback: true`): no gRPC channel in the worker, and a local server can stand in for the API.
  const client = new RecommenderClient({
    fallback: true,
    ...(url ? { apiEndpoint: url.hostname, port: Number(url.port), protocol: url.protocol.replace(':', '') } : {}),
    ...(options.authClient ? { authClient: options.authClient as never } : {}),
  } as ConstructorParameters<typeof RecommenderClient>[0]);
  try {
    const parent = `projects/${project}/locations/${location}/insightTypes/${GKE_DIAGNOSIS_INSIGHT_TYPE}`;
    // filter syntax: https://cloud.google.com/recommender/docs/reference/rest/v1/projects.locations.insightTypes.insights/list
    const insights = await client.listInsights({ parent, filter: 'stateInfo.state = ACTIVE' }, { autoPaginate: true });
    return deprecationsOfInsights(insights[0] as GkeInsight[], gkeClusterResource(project, location, clusterName), nextMinor);
  } finally {
    await client.close();
  }
}
