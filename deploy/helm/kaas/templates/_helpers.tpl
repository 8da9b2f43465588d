{{/* The release's base name, at most 63 characters (a DNS label). */}}
{{- define "kaas.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kaas.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "kaas.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "kaas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one role ("api" or "worker"): call with (dict "ctx" $ "role" "api"). */}}
{{- define "kaas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kaas.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "kaas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kaas.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "kaas.secretName" -}}
{{- default (include "kaas.fullname" .) .Values.secret.existingSecret -}}
{{- end -}}

{{- define "kaas.stateClaim" -}}
{{- default (printf "%s-state" (include "kaas.fullname" .)) .Values.state.existingClaim -}}
{{- end -}}

{{/* The Pulumi backend every worker shares: the configured URL, or file:// on the shared state volume. */}}
{{- define "kaas.pulumiBackend" -}}
{{- default "file:///var/lib/kaas-state/state" .Values.config.pulumiBackendUrl -}}
{{- end -}}

{{- define "kaas.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/*
The worker's memory in MiB, from the measurements in values (issue 14: ~260 MB of Pulumi CLI and
provider memory per concurrent operation): base + concurrency × per-operation.
*/}}
{{- define "kaas.workerMemoryMi" -}}
{{- add .Values.worker.memory.baseMi (mul .Values.worker.concurrency .Values.worker.memory.perOperationMi) -}}
{{- end -}}

{{/* Environment both roles share (api/config.ts names each variable). */}}
{{- define "kaas.env" -}}
- name: HOST
  value: "0.0.0.0"
- name: KAAS_HOME
  value: /var/lib/kaas
- name: HOME
  value: /var/lib/kaas
- name: KAAS_PULUMI_BACKEND
  value: {{ include "kaas.pulumiBackend" . | quote }}
- name: KAAS_SECRETS_PROVIDER
  value: {{ .Values.config.secretsProvider | quote }}
- name: KAAS_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: KAAS_DRIFT_INTERVAL_MINUTES
  value: {{ .Values.config.driftIntervalMinutes | quote }}
- name: KAAS_OPERATION_RETRIES
  value: {{ .Values.config.operationRetries | quote }}
- name: KAAS_RETRY_BACKOFF_SECONDS
  value: {{ .Values.config.retryBackoffSeconds | quote }}
- name: KAAS_RATE_LIMIT_PER_SECOND
  value: {{ .Values.config.rateLimit.perSecond | quote }}
- name: KAAS_RATE_LIMIT_BURST
  value: {{ .Values.config.rateLimit.burst | quote }}
{{- with .Values.config.workerEgressCidrs }}
- name: KAAS_WORKER_EGRESS_CIDRS
  value: {{ join "," . | quote }}
{{- end }}
{{- with .Values.config.oidc }}
{{- if .issuer }}
- name: KAAS_OIDC_ISSUER
  value: {{ .issuer | quote }}
- name: KAAS_OIDC_CLIENT_ID
  value: {{ .clientId | quote }}
{{- with .audience }}
- name: KAAS_OIDC_AUDIENCE
  value: {{ . | quote }}
{{- end }}
- name: KAAS_OIDC_GROUPS_CLAIM
  value: {{ .groupsClaim | quote }}
{{- end }}
{{- end }}
{{- if .Values.config.oidc.issuer }}
- name: KAAS_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "kaas.secretName" . }}
      key: {{ .Values.secret.keys.oidcClientSecret }}
      optional: true
{{- end }}
{{- with .Values.config.webhooks }}
{{- with .allowedHosts }}
- name: KAAS_WEBHOOK_ALLOWED_HOSTS
  value: {{ join "," . | quote }}
{{- end }}
- name: KAAS_WEBHOOK_ALLOW_HTTP
  value: {{ .allowHttp | quote }}
- name: KAAS_WEBHOOK_MAX_ATTEMPTS
  value: {{ .maxAttempts | quote }}
- name: KAAS_WEBHOOK_RETRY_BASE_SECONDS
  value: {{ .retryBaseSeconds | quote }}
- name: KAAS_WEBHOOK_TIMEOUT_SECONDS
  value: {{ .timeoutSeconds | quote }}
- name: KAAS_WEBHOOK_CONCURRENCY
  value: {{ .concurrency | quote }}
{{- end }}
- name: KAAS_WEBHOOK_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "kaas.secretName" . }}
      key: {{ .Values.secret.keys.webhookSecretKey }}
      optional: true
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "kaas.secretName" . }}
      key: {{ .Values.secret.keys.databaseUrl }}
{{- if eq .Values.config.secretsProvider "passphrase" }}
{{- /* not optional: without it each pod would generate its own passphrase and could not read the others' state */}}
- name: PULUMI_CONFIG_PASSPHRASE
  valueFrom:
    secretKeyRef:
      name: {{ include "kaas.secretName" . }}
      key: {{ .Values.secret.keys.pulumiConfigPassphrase }}
{{- end }}
{{- end -}}

{{/* Volumes both roles mount: KAAS_HOME and /tmp as scratch (the root filesystem is read-only), and the shared state volume for a file:// backend. */}}
{{- define "kaas.volumes" -}}
- name: home
  emptyDir:
    sizeLimit: {{ .sizeLimit }}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- if not .ctx.Values.config.pulumiBackendUrl }}
- name: state
  persistentVolumeClaim:
    claimName: {{ include "kaas.stateClaim" .ctx }}
{{- end }}
{{- end -}}

{{- define "kaas.volumeMounts" -}}
- name: home
  mountPath: /var/lib/kaas
- name: tmp
  mountPath: /tmp
{{- if not .Values.config.pulumiBackendUrl }}
- name: state
  mountPath: /var/lib/kaas-state
{{- end }}
{{- end -}}

{{/* Checks that cannot be said in values.schema.json; each failure names the value and the fix. */}}
{{- define "kaas.validate" -}}
{{- if and .Values.secret.create .Values.secret.existingSecret -}}
{{- fail "secret.create and secret.existingSecret exclude each other: either name your own Secret in secret.existingSecret, or set secret.create=true with secret.databaseUrl" -}}
{{- end -}}
{{- if and .Values.secret.create (not .Values.secret.databaseUrl) -}}
{{- fail "secret.create=true needs secret.databaseUrl (postgres://user:password@host:5432/kaas): kaas in Kubernetes runs on an external PostgreSQL, never the embedded one" -}}
{{- end -}}
{{- if and .Values.config.oidc.clientId (not .Values.config.oidc.issuer) -}}
{{- fail "config.oidc.clientId needs config.oidc.issuer: set both for single sign-on (the provider's issuer URL and the client it registered for kaas), or neither" -}}
{{- end -}}
{{- if and .Values.config.oidc.issuer (not .Values.config.oidc.clientId) -}}
{{- fail "config.oidc.issuer needs config.oidc.clientId: set the client id the provider registered for kaas" -}}
{{- end -}}
{{- if and .Values.secret.create (eq .Values.config.secretsProvider "passphrase") (not .Values.secret.pulumiConfigPassphrase) -}}
{{- fail "config.secretsProvider=passphrase with secret.create=true needs secret.pulumiConfigPassphrase: every worker must use the same passphrase (or use a KMS secrets provider)" -}}
{{- end -}}
{{- end -}}
