/**
 * Kubeconfigs whose only credential is an exec plugin (aws eks get-token, gke-gcloud-auth-plugin,
 * kubelogin): nothing in them can be replayed, and the caller still wraps them in pulumi.secret.
 */

/** The exec credential plugin a kubeconfig user runs. */
export interface ExecPlugin {
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Shown by kubectl when the command is missing. */
  installHint: string;
}

/** Builds a kubeconfig document (JSON, which is valid YAML) for one cluster and one exec user. */
export function execKubeconfig(name: string, server: string, caData: string, exec: ExecPlugin): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: exec.command,
            args: exec.args,
            env: Object.entries(exec.env ?? {}).map(([n, value]) => ({ name: n, value })),
            interactiveMode: 'IfAvailable',
            provideClusterInfo: false,
            installHint: exec.installHint,
          },
        },
      },
    ],
  });
}
