/**
 * Running only the `pulumi` processes an operation needs. The Automation API's `Stack.up`,
 * `refresh` and `destroy` end with `stack output --json`, `stack output --json --show-secrets`
 * and `stack history --show-secrets` (@pulumi/pulumi automation/stack.js@3.260.0, `up` and
 * `info`), three more CLI processes, each paying the start-up, the state read and the passphrase
 * key derivation; `Stack.select` adds a `stack select`. The platform needs none of them: the
 * run's own engine events carry the stack's outputs (the root `pulumi:pulumi:Stack` resource's
 * outputs, secrets signed and without their value; a top-level secret is flagged `secret` as the
 * SDK's `stackOutputs` flags it, from the masked `stack output --json`) and
 * its change summary, and every command names its stack with `--stack` anyway.
 */
import { LocalWorkspace, Stack, type EngineEvent, type OutputMap } from '@pulumi/pulumi/automation/index.js';

/** The Pulumi type of a stack's root resource, whose outputs are the stack outputs. */
const ROOT_TYPE = 'pulumi:pulumi:Stack';
/**
 * A secret in the engine's events is a signed object `{[SIG_KEY]: SECRET_SIG, ciphertext: "[secret]"}`
 * (pulumi sdk/go/common/resource/sig/sig.go@v3.260.0: `Key`, `Secret`).
 */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The value with every nested secret replaced by `[secret]` (what `stack output --json` shows). */
function masked(value: unknown): unknown {
  if (isSecretValue(value)) return '[secret]';
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v)]));
  return value;
}

/** What one run's engine events said: the stack outputs (secret values masked) and the change counts. */
export class RunRecord {
  #outputs: OutputMap | undefined;
  #changes: Record<string, number> | undefined;

  /** Feeds one engine event. */
  observe = (event: EngineEvent): void => {
    const meta = event.resOutputsEvent?.metadata;
    if (meta?.type === ROOT_TYPE) {
      const outputs = ((meta.new as { outputs?: Record<string, unknown> } | undefined)?.outputs ?? {}) as Record<string, unknown>;
      this.#outputs = Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, isSecretValue(value) ? { value: '[secret]', secret: true } : { value: masked(value), secret: false }]));
    }
    if (event.summaryEvent) this.#changes = { ...event.summaryEvent.resourceChanges } as Record<string, number>;
  };

  /** Whether the run's events carried the stack's outputs (a successful `up` always does). */
  get sawOutputs(): boolean {
    return this.#outputs !== undefined;
  }

  /** The stack outputs of the run; a secret's value is `[secret]`, not in the events (read it with `stackOutputs`). */
  get outputs(): OutputMap {
    return this.#outputs ?? {};
  }

  /** The change counts by op from the run's summary event ({} when the run ended without one). */
  get changes(): Record<string, number> {
    return this.#changes ?? {};
  }
}

/**
 * A Stack object for `name` opened without a CLI process (no `stack select`): the first command
 * run on it finds out whether the stack exists. Its `up`, `refresh` and `destroy` resolve from
 * `record` instead of the SDK's trailing `stack output` and `stack history` calls; their
 * `summary` is left undefined, read `record.changes`.
 */
export async function openWithoutSelect(name: string, workspace: LocalWorkspace, record: RunRecord): Promise<Stack> {
  const select = workspace.selectStack;
  workspace.selectStack = async () => undefined;
  let stack: Stack;
  try {
    stack = await Stack.select(name, workspace);
  } finally {
    workspace.selectStack = select;
  }
  stack.outputs = async () => record.outputs;
  stack.info = async () => undefined;
  return stack;
}

/** True for the CLI's answer to a command on a stack that is not in the backend. */
export function isStackNotFound(err: unknown): boolean {
  return /no stack named .* found/i.test(String((err as Error)?.message ?? err));
}
