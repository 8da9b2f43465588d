/**
 * The addon catalog: how each standard addon is delivered on each managed cloud, with Helm charts
 * pinned (repository, chart, version) and the Kubernetes minor versions each pin supports.
 * Pure: no @pulumi imports. The Pulumi programs read their chart coordinates from here and call
 * `assertAddonsSupported(spec)` before creating any resource.
 */
import { enabledAddons, type AddonId, type Cloud, type ClusterSpec } from './cluster-spec.ts';
import { KNOWN_VERSION_RULES, type VersionRules } from './version-policy.ts';

/** The managed clouds (every cloud except the simulated `sim`). */
export type ManagedCloud = Exclude<Cloud, 'sim'>;
const MANAGED_CLOUDS: readonly ManagedCloud[] = ['aws', 'gcp', 'azure'];
import { DomainError, validationError, type FieldIssue } from './errors.ts';

/** A Helm chart pinned to one version. */
export interface PinnedChart {
  repository: string;
  chart: string;
  version: string;
  /** Namespace the release is installed into (also the IRSA / Workload Identity subject). */
  namespace: string;
  /** Service account the chart runs as (bound to the cloud identity where one is needed). */
  serviceAccount: string;
  /** Kubernetes minor versions this chart version supports. */
  kubernetesVersions: readonly string[];
}

/** How one addon is delivered on one cloud. */
export type AddonDelivery =
  | { kind: 'helm'; chart: PinnedChart }
  /** Provided by the managed cloud itself (e.g. GKE's network policy); no chart installed. */
  | { kind: 'builtin'; description: string };

/**
 * Kubernetes minors the pinned external-dns, fluentd, kube-prometheus-stack and AWS Load Balancer
 * Controller charts support. Each states an open-ended minimum, none a maximum, and none of
 * 1.35–1.37 removes an API they use (upstream deprecation guide):
 * - kube-prometheus-stack 77.0.0: `kubeVersion: ">=1.25.0-0"`
 *   (prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml@kube-prometheus-stack-77.0.0);
 * - AWS Load Balancer Controller v2.14.0 (chart 1.14.0): "v2.5.0+ requires Kubernetes 1.22+"
 *   (kubernetes-sigs/aws-load-balancer-controller docs/deploy/installation.md@v2.14.0);
 * - external-dns chart 1.19.0 (0.19.0): no kubeVersion; uses networking.k8s.io/v1 and
 *   discovery.k8s.io/v1 only (README "Kubernetes version compatibility"@external-dns-helm-chart-1.19.0);
 * - fluentd chart 0.5.3: no kubeVersion; its templates use GA APIs (apps/v1, rbac v1,
 *   networking v1) except the optional PodSecurityPolicy (off by default).
 */
const K8S_130_137 = ['1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37'] as const;

const externalDns: PinnedChart = {
  repository: 'https://kubernetes-sigs.github.io/external-dns/',
  chart: 'external-dns',
  version: '1.19.0',
  namespace: 'external-dns',
  serviceAccount: 'external-dns',
  kubernetesVersions: K8S_130_137,
};

const fluentd: PinnedChart = {
  repository: 'https://fluent.github.io/helm-charts',
  chart: 'fluentd',
  version: '0.5.3',
  namespace: 'logging',
  serviceAccount: 'fluentd',
  kubernetesVersions: K8S_130_137,
};

const prometheus: PinnedChart = {
  repository: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '77.0.0',
  namespace: 'monitoring',
  serviceAccount: 'kube-prometheus-stack-prometheus',
  kubernetesVersions: K8S_130_137,
};

/** The catalog: addon → cloud → delivery. */
export const ADDON_CATALOG: Readonly<Record<AddonId, Readonly<Record<ManagedCloud, AddonDelivery>>>> = {
  calico: {
    aws: {
      kind: 'helm',
      chart: {
        repository: 'https://docs.tigera.io/calico/charts',
        chart: 'tigera-operator',
        version: 'v3.31.3',
        namespace: 'tigera-operator',
        serviceAccount: 'tigera-operator',
        // Calico 3.31 is tested against Kubernetes 1.32–1.35
        // (https://docs.tigera.io/calico/3.31/getting-started/kubernetes/requirements; 1.35 added per
        // projectcalico discussion #11717). 3.31.3 ships tigera-operator v1.40.3
        // (https://docs.tigera.io/calico/latest/reference/component-versions).
        kubernetesVersions: ['1.32', '1.33', '1.34', '1.35'],
      },
    },
    gcp: { kind: 'builtin', description: 'GKE network policy enforcement (Calico), enabled on the cluster' },
    azure: { kind: 'builtin', description: 'AKS network policy "calico", set in the cluster network profile' },
  },
  'external-dns': {
    aws: { kind: 'helm', chart: externalDns },
    gcp: { kind: 'helm', chart: externalDns },
    azure: { kind: 'helm', chart: externalDns },
  },
  ingress: {
    aws: {
      kind: 'helm',
      chart: {
        repository: 'https://aws.github.io/eks-charts',
        chart: 'aws-load-balancer-controller',
        version: '1.14.0',
        namespace: 'kube-system',
        serviceAccount: 'aws-load-balancer-controller',
        kubernetesVersions: K8S_130_137,
      },
    },
    gcp: { kind: 'builtin', description: 'GKE Ingress (GCE L7 load balancer), HTTP load balancing addon on' },
    azure: { kind: 'builtin', description: 'AKS application routing (managed NGINX ingress), enabled on the cluster' },
  },
  fluentd: {
    aws: { kind: 'helm', chart: fluentd },
    // fluent-plugin-google-cloud pins fluentd 1.16.2 exactly (its gemspec) and no upstream fluentd
    // image ships it; GKE's own logging agent already sends container logs to Cloud Logging.
    gcp: {
      kind: 'builtin',
      description: 'GKE Cloud Logging agent (loggingService logging.googleapis.com/kubernetes: system and workload logs)',
    },
    // fluent-plugin-azure-loganalytics speaks only the HTTP Data Collector API (shared key, past its
    // end of support); AKS's own agent ships container logs with managed-identity auth.
    azure: {
      kind: 'builtin',
      description: 'Azure Monitor Container Insights (AKS monitoring add-on with managed-identity auth, a data collection rule to a Log Analytics workspace)',
    },
  },
  prometheus: {
    aws: { kind: 'helm', chart: prometheus },
    gcp: { kind: 'helm', chart: prometheus },
    azure: { kind: 'helm', chart: prometheus },
  },
};

/** The delivery of `addon` on `cloud`. */
export function addonDelivery(addon: AddonId, cloud: ManagedCloud): AddonDelivery {
  return ADDON_CATALOG[addon][cloud];
}

/** The pinned chart of `addon` on `cloud`; throws if the addon is built in there. */
export function pinnedChart(addon: AddonId, cloud: ManagedCloud): PinnedChart {
  const delivery = addonDelivery(addon, cloud);
  if (delivery.kind !== 'helm') {
    throw new DomainError('UNSUPPORTED', `addon ${addon} is built into ${cloud}; it has no chart`);
  }
  return delivery.chart;
}

function isManagedCloud(cloud: string): cloud is ManagedCloud {
  return (MANAGED_CLOUDS as readonly string[]).includes(cloud);
}

/**
 * Refuses a spec whose cloud, Kubernetes version or enabled addons the catalog does not support,
 * with a DomainError `UNSUPPORTED` naming the addon, cloud and version and hinting at the
 * supported versions; then validates the per-cluster addon values (`VALIDATION`). By default any
 * minor the calendar lists passes (programs must still manage clusters past end of support); the
 * API passes today's rules when creating.
 */
export function assertAddonsSupported(spec: ClusterSpec, policy: VersionRules = KNOWN_VERSION_RULES): void {
  const cloud = spec.target.cloud;
  if (!isManagedCloud(cloud)) {
    throw new DomainError('UNSUPPORTED', `cloud ${cloud} has no managed-cloud program`, {
      hint: `managed clouds: ${MANAGED_CLOUDS.join(', ')}`,
    });
  }
  const version = spec.kubernetesVersion;
  const offered = policy[cloud].supported;
  const poolVersions = spec.nodePools.map((p) => p.kubernetesVersion ?? version);
  for (const v of [version, ...poolVersions]) {
    if (!offered.includes(v)) {
      throw new DomainError('UNSUPPORTED', `Kubernetes ${v} is not supported on ${cloud}`, {
        hint: `supported Kubernetes versions on ${cloud}: ${offered.join(', ')}`,
      });
    }
  }
  for (const addon of enabledAddons(spec)) {
    const delivery = addonDelivery(addon, cloud);
    if (delivery.kind === 'helm' && !delivery.chart.kubernetesVersions.includes(version)) {
      const { chart, version: chartVersion, kubernetesVersions } = delivery.chart;
      throw new DomainError(
        'UNSUPPORTED',
        `addon ${addon} (${chart} ${chartVersion}) does not support Kubernetes ${version} on ${cloud}`,
        { hint: `${addon} on ${cloud} supports Kubernetes ${kubernetesVersions.join(', ')}` },
      );
    }
  }
  const issues = [...addonTargetIssues(spec), ...addonValueIssues(spec)];
  if (issues.length > 0) throw validationError(issues, 'see docs/real-clouds.md for the addon values');
}

type ValueRule = (value: unknown) => string | undefined;

const durationRule =
  (units: string): ValueRule =>
  (v) => (typeof v === 'string' && new RegExp(`^[1-9][0-9]*[${units}]$`).test(v) ? undefined : `must be a duration like 30${units[0]}`);
const intRule =
  (min: number, max: number): ValueRule =>
  (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer ${min}..${max}`);
const oneOf =
  (...allowed: string[]): ValueRule =>
  (v) => (typeof v === 'string' && allowed.includes(v) ? undefined : `must be one of ${allowed.join(', ')}`);
const boolRule: ValueRule = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

/** The per-cluster values each addon accepts (anything else is refused). */
export const ADDON_VALUE_RULES: Readonly<Record<AddonId, Readonly<Record<string, ValueRule>>>> = {
  calico: {},
  'external-dns': { policy: oneOf('sync', 'upsert-only'), interval: durationRule('sm') },
  ingress: { replicaCount: intRule(1, 3) },
  fluentd: { logRetentionDays: intRule(1, 3653) },
  prometheus: { retention: durationRule('dhw'), storageSizeGi: intRule(1, 2048), grafana: boolRule },
};

/**
 * Problems between the enabled addons and the target (empty when valid): ExternalDNS needs at
 * least one DNS zone, or its EKS policy would name no resource (`Resource: []`, which IAM
 * rejects) and on every cloud it would run with no zone to manage.
 */
export function addonTargetIssues(spec: ClusterSpec): FieldIssue[] {
  if (!enabledAddons(spec).includes('external-dns') || spec.target.dnsZones.length > 0) return [];
  return [{
    path: 'target.dnsZones',
    message: `external-dns needs at least one DNS zone, and target ${spec.target.name} has none: give the target a zone (the targets.update API takes dnsZones; kaas targets create takes --dns-zone) or disable external-dns`,
  }];
}

/** Problems with the values of the enabled addons of `spec` (empty when valid). */
export function addonValueIssues(spec: ClusterSpec): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const addon of enabledAddons(spec)) {
    const rules = ADDON_VALUE_RULES[addon];
    for (const [key, value] of Object.entries(spec.addons[addon]?.values ?? {})) {
      const path = `addons.${addon}.values.${key}`;
      const rule = rules[key];
      const problem = rule ? rule(value) : `unknown value (allowed: ${Object.keys(rules).join(', ') || 'none'})`;
      if (problem) issues.push({ path, message: problem });
    }
  }
  return issues;
}
