/**
 * The Helm chart for kaas itself (deploy/helm/kaas), with a real `helm` and real schemas:
 * `helm lint` and `helm template` with the default values and with a production-like values file
 * (ci/production-values.yaml), every rendered object validated by kubeconform against JSON schemas
 * generated from the Kubernetes OpenAPI spec (k8s.io/kubernetes api/openapi-spec/swagger.json)
 * and prometheus-operator's ServiceMonitor CRD. Tools and schemas come from scripts/setup-helm.sh
 * (cached in ~/.kaas/tools); without them the test skips locally and fails under CI=true.
 *
 * Beyond the schemas it checks what the platform needs from the objects: each container's
 * environment is a configuration api/config.ts accepts (with the role, ports and backend the
 * chart promises), probes hit the paths api/server.ts serves, worker memory follows the
 * measurements, the Secret carries DATABASE_URL and the passphrase, and selectors match pods.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../api/config.ts';

const root = path.resolve(import.meta.dirname, '..');
const chart = path.join(root, 'deploy', 'helm', 'kaas');
const productionValues = path.join(chart, 'ci', 'production-values.yaml');
const setupScript = fs.readFileSync(path.join(root, 'scripts', 'setup-helm.sh'), 'utf8');
const pin = (name: string) => new RegExp(`^${name}="(v[^"]+)"`, 'm').exec(setupScript)?.[1] ?? '';
const tools = process.env.KAAS_TOOLS_DIR || path.join(os.homedir(), '.kaas', 'tools');
const k8sVersion = pin('kaas_k8s_version');
const helm = path.join(tools, `helm-${pin('kaas_helm_version')}`, 'bin', 'helm');
const kubeconform = path.join(tools, `kubeconform-${pin('kaas_kubeconform_version')}`, 'bin', 'kubeconform');
const schemas = path.join(tools, `kube-schemas-${k8sVersion}-${pin('kaas_promop_version')}`);

const missing = [helm, kubeconform, path.join(schemas, '.kaas-installed')].filter((f) => !fs.existsSync(f));
if (missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`helm chart tools are missing and CI=true (${missing.join(', ')}): the chart must be linted and validated in CI. Run scripts/setup-helm.sh.`);
}

const helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-helm-'));
const helmEnv = { ...process.env, HELM_CACHE_HOME: path.join(helmHome, 'cache'), HELM_CONFIG_HOME: path.join(helmHome, 'config'), HELM_DATA_HOME: path.join(helmHome, 'data') };
afterAll(() => fs.rmSync(helmHome, { recursive: true, force: true }));

function runHelm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(helm, args, { encoding: 'utf8', env: helmEnv });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` output for extra args (`-f file`, `--set k=v`). */
function render(...args: string[]): string {
  const r = runHelm(['template', 'kaas', chart, '--namespace', 'platform', '--kube-version', k8sVersion, ...args]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return r.stdout;
}

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: any; stringData?: Record<string, string> };
const objects = (manifest: string): K8sObject[] => parseAllDocuments(manifest).map((d) => d.toJS() as K8sObject).filter((o) => o !== null);
const find = (objs: K8sObject[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in [${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}]`);
  return o;
};

interface KubeconformResult { kind: string; name: string; status: string; msg: string }
/** kubeconform -strict over a manifest: one result per object (valid ones too). */
function validate(manifest: string): KubeconformResult[] {
  const r = spawnSync(kubeconform, ['-strict', '-output', 'json', '-verbose', '-schema-location', path.join(schemas, '{{ .ResourceKind }}{{ .KindSuffix }}.json'), '-'], { input: manifest, encoding: 'utf8' });
  if (!r.stdout.trim()) throw new Error(`kubeconform printed nothing: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { resources: KubeconformResult[] }).resources;
}

/** A container's environment as plain variables, with secretKeyRef values standing in for the Secret's. */
function containerEnv(container: any, secretValues: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const e of container.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }[]) {
    const value = e.value ?? secretValues[e.valueFrom!.secretKeyRef.key];
    // an optional secretKeyRef whose key the Secret lacks leaves the variable unset, as the kubelet does
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

const secretValues = { DATABASE_URL: 'postgres://kaas:pw@db.internal:5432/kaas', PULUMI_CONFIG_PASSPHRASE: 'correct horse' };

describe.skipIf(missing.length > 0)('helm chart deploy/helm/kaas', () => {
  const cases = [
    { name: 'default values', args: [] as string[] },
    { name: 'production values', args: ['-f', productionValues] },
  ];

  it.each(cases)('passes helm lint with $name', ({ args }) => {
    const r = runHelm(['lint', chart, '--strict', '--kube-version', k8sVersion, ...args]);
    expect(r.stdout + r.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  it.each(cases)('renders with $name into objects that all validate against the Kubernetes schemas', ({ args }) => {
    const manifest = render(...args);
    const results = validate(manifest);
    expect(results.length).toBe(objects(manifest).length);
    expect(results.filter((r) => r.status !== 'statusValid')).toEqual([]);
    expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount']));
  });

  it('the validation can fail: a misspelt field and a wrong type are refused', () => {
    const manifest = render();
    const typo = validate(manifest.replace('readOnlyRootFilesystem:', 'readOnlyRootFileSystem:'));
    expect(typo.find((r) => r.status === 'statusInvalid')?.msg).toMatch(/readOnlyRootFileSystem/);
    const wrongType = validate(manifest.replace(/maxUnavailable: 1/, 'maxUnavailable: [1]'));
    expect(wrongType.some((r) => r.kind === 'PodDisruptionBudget' && r.status === 'statusInvalid')).toBe(true);
  });

  it('production values: ServiceMonitor, KMS secrets, S3 state, the existing Secret', () => {
    const objs = objects(render('-f', productionValues));
    expect(validate(render('-f', productionValues)).filter((r) => r.kind === 'ServiceMonitor').map((r) => r.status)).toEqual(['statusValid']);
    const monitor = find(objs, 'ServiceMonitor', 'kaas');
    const servicePorts = objs.filter((o) => o.kind === 'Service').flatMap((s) => s.spec.ports.map((p: { name: string }) => p.name));
    for (const endpoint of monitor.spec.endpoints) {
      expect(servicePorts).toContain(endpoint.port);
      expect(endpoint.path).toBe('/metrics');
    }
    expect(objs.filter((o) => o.kind === 'Secret' || o.kind === 'PersistentVolumeClaim')).toEqual([]);
    const worker = find(objs, 'Deployment', 'kaas-worker').spec.template.spec.containers[0];
    const secretRefs = worker.env.filter((e: any) => e.valueFrom).map((e: any) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
    // a KMS provider needs no passphrase; the OIDC client secret and the webhook key are optional keys
    expect(secretRefs).toEqual([
      ['KAAS_OIDC_CLIENT_SECRET', 'kaas-config', 'KAAS_OIDC_CLIENT_SECRET'],
      ['KAAS_WEBHOOK_SECRET_KEY', 'kaas-config', 'KAAS_WEBHOOK_SECRET_KEY'],
      ['DATABASE_URL', 'kaas-config', 'DATABASE_URL'],
    ]);
    const config = loadConfig(containerEnv(worker, secretValues));
    expect([config.pulumiBackendUrl, config.secretsProvider, config.workerConcurrency]).toEqual(['s3://acme-kaas-state?region=eu-west-1', 'awskms://alias/kaas-state?region=eu-west-1', 2]);
    expect(config.workerEgressCidrs).toEqual(['203.0.113.7/32', '203.0.113.8/32']);
    expect([config.oidc?.issuer, config.webhooks.allowedHosts]).toEqual(['https://login.example.com/realms/acme', ['hooks.example.com']]);
  });

  it('each role gets an environment api/config.ts accepts, and probes on the paths it serves', () => {
    const objs = objects(render());
    const api = find(objs, 'Deployment', 'kaas-api').spec.template.spec;
    const worker = find(objs, 'Deployment', 'kaas-worker').spec.template.spec;

    const apiConfig = loadConfig(containerEnv(api.containers[0], secretValues));
    expect([apiConfig.role, apiConfig.host, apiConfig.port, apiConfig.databaseUrl, apiConfig.passphrase]).toEqual(['api', '0.0.0.0', 7080, secretValues.DATABASE_URL, secretValues.PULUMI_CONFIG_PASSPHRASE]);
    const workerConfig = loadConfig(containerEnv(worker.containers[0], secretValues));
    expect([workerConfig.role, workerConfig.probePort, workerConfig.workerConcurrency, workerConfig.home]).toEqual(['worker', 7081, 4, '/var/lib/kaas']);
    // both share one Pulumi backend: the chart's ReadWriteMany volume
    expect(apiConfig.pulumiBackendUrl).toBe('file:///var/lib/kaas-state/state');
    expect(workerConfig.pulumiBackendUrl).toBe(apiConfig.pulumiBackendUrl);
    expect(find(objs, 'PersistentVolumeClaim', 'kaas-state').spec.accessModes).toEqual(['ReadWriteMany']);

    for (const [pod, portName, port] of [[api, 'http', apiConfig.port], [worker, 'probes', workerConfig.probePort]] as const) {
      const c = pod.containers[0];
      expect(c.ports).toEqual([{ name: portName, containerPort: port, protocol: 'TCP' }]);
      expect([c.livenessProbe.httpGet, c.readinessProbe.httpGet, c.startupProbe.httpGet]).toEqual([
        { path: '/healthz', port: portName },
        { path: '/readyz', port: portName },
        { path: '/healthz', port: portName },
      ]);
      // non-root, read-only root filesystem, writable KAAS_HOME and /tmp
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      const mounts = Object.fromEntries(c.volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name]));
      const volumes = Object.fromEntries(pod.volumes.map((v: { name: string }) => [v.name, v]));
      expect(volumes[mounts['/var/lib/kaas']].emptyDir).toBeDefined();
      expect(volumes[mounts['/tmp']].emptyDir).toBeDefined();
      expect(volumes[mounts['/var/lib/kaas-state']].persistentVolumeClaim.claimName).toBe('kaas-state');
    }
  });

  it('sizes worker memory from the measurements: base + concurrency × 260 Mi per operation', () => {
    const memory = (...args: string[]) => find(objects(render(...args)), 'Deployment', 'kaas-worker').spec.template.spec.containers[0].resources;
    expect(memory()).toEqual({ requests: { cpu: '1', memory: `${320 + 4 * 260}Mi` }, limits: { memory: `${320 + 4 * 260}Mi` } });
    expect(memory('--set', 'worker.concurrency=8').limits.memory).toBe(`${320 + 8 * 260}Mi`);
    expect(memory('--set', 'worker.resources.requests.memory=3Gi').requests).toEqual({ memory: '3Gi' });
  });

  it('PodDisruptionBudgets, Services and NetworkPolicies select the pods they are for', () => {
    const objs = objects(render());
    for (const role of ['api', 'worker']) {
      const podLabels = find(objs, 'Deployment', `kaas-${role}`).spec.template.metadata.labels;
      const pdb = find(objs, 'PodDisruptionBudget', `kaas-${role}`);
      expect(podLabels).toMatchObject(pdb.spec.selector.matchLabels);
      expect(pdb.spec.maxUnavailable).toBe(1);
      expect(podLabels).toMatchObject(find(objs, 'Service', `kaas-${role}`).spec.selector);
      const policy = find(objs, 'NetworkPolicy', `kaas-${role}`);
      expect(podLabels).toMatchObject(policy.spec.podSelector.matchLabels);
      expect(policy.spec.ingress.map((r: any) => r.ports[0].port)).toEqual([role === 'api' ? 'http' : 'probes']);
      expect(policy.spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port))).toEqual([53, 53, 5432, 443]);
    }
    // the api and worker selectors do not overlap
    expect(find(objs, 'Deployment', 'kaas-api').spec.selector.matchLabels['app.kubernetes.io/component']).toBe('api');
  });

  it('a Secret created by the chart carries DATABASE_URL and the passphrase; bad values fail naming the value', () => {
    const objs = objects(render('--set', `secret.create=true,secret.databaseUrl=${secretValues.DATABASE_URL},secret.pulumiConfigPassphrase=pw`));
    expect(find(objs, 'Secret', 'kaas').stringData).toEqual({ DATABASE_URL: secretValues.DATABASE_URL, PULUMI_CONFIG_PASSPHRASE: 'pw' });
    // a changed Secret rolls the pods (they read it only at start)
    for (const role of ['api', 'worker']) expect(find(objs, 'Deployment', `kaas-${role}`).spec.template.metadata.annotations['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
    expect(find(objects(render()), 'Deployment', 'kaas-worker').spec.template.metadata).not.toHaveProperty('annotations');
    const fails = (...args: string[]) => runHelm(['template', 'kaas', chart, '--kube-version', k8sVersion, ...args]);
    expect(fails('--set', 'secret.create=true').stderr).toMatch(/secret\.create=true needs secret\.databaseUrl/);
    expect(fails('--set', `secret.create=true,secret.databaseUrl=${secretValues.DATABASE_URL}`).stderr).toMatch(/needs secret\.pulumiConfigPassphrase/);
    // values.schema.json: unknown keys and settings api/config.ts would refuse
    expect(fails('--set', 'worker.replicsa=2').stderr).toMatch(/additional properties 'replicsa' not allowed/);
    expect(fails('--set', 'worker.concurrency=65').stderr).toMatch(/\/worker\/concurrency/);
    expect(fails('--set', 'config.pulumiBackendUrl=http://state').stderr).toMatch(/\/config\/pulumiBackendUrl/);
  });

  it('passes single sign-on and webhook settings to both roles, secrets only by Secret reference', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const withSso = { ...secretValues, KAAS_OIDC_CLIENT_SECRET: 'console-secret', KAAS_WEBHOOK_SECRET_KEY: key };
    const objs = objects(
      render(
        '--set', 'config.oidc.issuer=https://idp.example.com/realms/acme,config.oidc.clientId=kaas,config.oidc.audience=kaas-api,config.oidc.groupsClaim=roles',
        '--set', 'config.webhooks.allowedHosts={hooks.example.com,*.corp.example},config.webhooks.maxAttempts=5,config.webhooks.timeoutSeconds=20',
      ),
    );
    for (const role of ['api', 'worker']) {
      const container = find(objs, 'Deployment', `kaas-${role}`).spec.template.spec.containers[0];
      const config = loadConfig(containerEnv(container, withSso));
      expect(config.oidc).toMatchObject({ issuer: 'https://idp.example.com/realms/acme', clientId: 'kaas', clientSecret: 'console-secret', audience: 'kaas-api', groupsClaim: 'roles' });
      expect(config.webhooks).toMatchObject({ allowedHosts: ['hooks.example.com', '*.corp.example'], allowHttp: false, maxAttempts: 5, timeoutSeconds: 20 });
      expect(config.webhooks.secretKey?.equals(Buffer.alloc(32, 7))).toBe(true);
      // the two secrets come from the Secret, never as plain values in the Deployment
      const refs = Object.fromEntries(container.env.filter((e: any) => e.valueFrom).map((e: any) => [e.name, e.valueFrom.secretKeyRef]));
      expect(refs.KAAS_OIDC_CLIENT_SECRET).toMatchObject({ key: 'KAAS_OIDC_CLIENT_SECRET', optional: true });
      expect(refs.KAAS_WEBHOOK_SECRET_KEY).toMatchObject({ key: 'KAAS_WEBHOOK_SECRET_KEY', optional: true });
    }
    // SSO off by default: no OIDC variable at all (api/config.ts refuses half a configuration)
    const plain = find(objects(render()), 'Deployment', 'kaas-api').spec.template.spec.containers[0];
    expect(plain.env.map((e: any) => e.name).filter((n: string) => n.startsWith('KAAS_OIDC_'))).toEqual([]);
    expect(loadConfig(containerEnv(plain, secretValues)).oidc).toBeUndefined();
    // a client id without an issuer, or a bad issuer, fails at install, naming the value
    const fails = (...args: string[]) => runHelm(['template', 'kaas', chart, '--kube-version', k8sVersion, ...args]);
    expect(fails('--set', 'config.oidc.clientId=kaas').stderr).toMatch(/config\.oidc\.clientId needs config\.oidc\.issuer/);
    expect(fails('--set', 'config.oidc.issuer=https://idp.example.com').stderr).toMatch(/config\.oidc\.issuer needs config\.oidc\.clientId/);
    expect(fails('--set', 'config.oidc.issuer=ftp://idp,config.oidc.clientId=kaas').stderr).toMatch(/\/config\/oidc\/issuer/);
    expect(fails('--set', 'config.webhooks.maxAttempts=0').stderr).toMatch(/\/config\/webhooks\/maxAttempts/);
    // the chart's own Secret carries them when given
    const created = find(objects(render('--set', `secret.create=true,secret.databaseUrl=${secretValues.DATABASE_URL},secret.pulumiConfigPassphrase=pw,secret.oidcClientSecret=console-secret,secret.webhookSecretKey=${key}`)), 'Secret', 'kaas');
    expect(created.stringData).toMatchObject({ KAAS_OIDC_CLIENT_SECRET: 'console-secret', KAAS_WEBHOOK_SECRET_KEY: key });
  });

  it('the chart version of the app is package.json\'s', () => {
    const appVersion = /^appVersion: "([^"]+)"/m.exec(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8'))?.[1];
    expect(appVersion).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    expect(execFileSync(helm, ['version', '--short'], { encoding: 'utf8', env: helmEnv }).trim()).toMatch(new RegExp(`^${pin('kaas_helm_version').replace(/\./g, '\\.')}`));
  });
});
