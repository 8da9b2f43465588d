/**
 * The campaign flags shared by `kaas fleet plan` and `kaas fleet start`, turned into the input of
 * `fleet.plan` / `fleet.start` before any request is sent:
 *
 * - what: `--to-version 1.33` (an upgrade campaign) or `--template NAME --to N [--from M]` (a
 *   template rollout);
 * - which clusters: `--cloud`, `--target` (deployment target, as in `kaas clusters list`),
 *   `--team`, `--selector-template`, `--label k=v` (repeatable), `--version-min`, `--version-max`;
 * - waves: `--waves 25,75 [--canary N]` (percentages of the rest after the canary wave), or
 *   `--wave ID,ID` once per wave (explicit lists of cluster ids);
 * - runner: `--max-parallel`, `--failure-threshold`, `--approval`, `--soak SECONDS`.
 *
 * Flag combinations and number syntax are checked here (exit 2); value ranges and whether the
 * percentages total 100 are the API's to judge, so the message is the same from every client.
 */
import type { CampaignPlanInput } from '../../api-types.ts';
import { CLOUDS, type Cloud } from '../../../platform/cluster-spec.ts';
import { usageError } from '../../errors.ts';
import { parseLabels } from '../../flags.ts';

/** The flags as commander hands them over (strings; repeatable ones as arrays). */
export interface CampaignFlags {
  toVersion?: string | undefined;
  template?: string | undefined;
  to?: string | undefined;
  from?: string | undefined;
  cloud?: string | undefined;
  target?: string | undefined;
  team?: string | undefined;
  selectorTemplate?: string | undefined;
  label?: string[] | undefined;
  versionMin?: string | undefined;
  versionMax?: string | undefined;
  canary?: string | undefined;
  waves?: string | undefined;
  wave?: string[] | undefined;
  maxParallel?: string | undefined;
  failureThreshold?: string | undefined;
  approval?: boolean | undefined;
  soak?: string | undefined;
}

const WAVES_HINT = 'split the clusters with --waves 25,75 (percentages, optionally after --canary N clusters), or list them with --wave ID,ID once per wave';

/** A whole number flag (digits only: "1.5", "-1" and "ten" are refused here). */
function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw usageError(`${flag} "${value}" must be a whole number`);
  return Number(value.trim());
}

/** `a, b,,c` → ['a', 'b', 'c']. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function waveStrategy(f: CampaignFlags): CampaignPlanInput['waves'] {
  const lists = f.wave ?? [];
  if (lists.length > 0) {
    if (f.waves !== undefined) throw usageError('--waves and --wave cannot be combined: use percentages (--waves) or explicit lists (--wave), not both', WAVES_HINT);
    if (f.canary !== undefined) throw usageError('--canary works with --waves percentages; with explicit --wave lists, the first --wave is the canary', WAVES_HINT);
    return {
      lists: lists.map((flag) => {
        const ids = commaList(flag);
        if (ids.length === 0) throw usageError(`--wave "${flag}" lists no cluster`, 'example: --wave c_abc,c_def --wave c_ghi');
        return ids;
      }),
    };
  }
  if (f.waves === undefined && f.canary === undefined) throw usageError('say how to split the clusters into waves', WAVES_HINT);
  const canary = f.canary === undefined ? 0 : wholeNumber('--canary', f.canary);
  // --canary alone: the canary wave, then everything else in one wave
  const percentages = f.waves === undefined ? [100] : commaList(f.waves).map((p) => wholeNumber('--waves', p.replace(/%$/, '')));
  if (percentages.length === 0) throw usageError(`--waves "${f.waves}" lists no percentage`, WAVES_HINT);
  return { canary, percentages };
}

function selector(f: CampaignFlags): CampaignPlanInput['selector'] {
  if (f.cloud !== undefined && !(CLOUDS as readonly string[]).includes(f.cloud)) throw usageError(`--cloud "${f.cloud}" is not one of ${CLOUDS.join(', ')}`);
  const labels = parseLabels(f.label ?? []);
  const version = { ...(f.versionMin !== undefined ? { min: f.versionMin } : {}), ...(f.versionMax !== undefined ? { max: f.versionMax } : {}) };
  return {
    ...(f.cloud !== undefined ? { cloud: f.cloud as Cloud } : {}),
    ...(f.target !== undefined ? { target: f.target } : {}),
    ...(f.team !== undefined ? { team: f.team } : {}),
    ...(f.selectorTemplate !== undefined ? { template: f.selectorTemplate } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(version).length > 0 ? { version } : {}),
  };
}

/** The `fleet.plan` input the flags describe; throws a usage error (exit 2) for a bad combination. */
export function planInputFromFlags(f: CampaignFlags): CampaignPlanInput {
  const rollout = f.template !== undefined || f.to !== undefined || f.from !== undefined;
  if (f.toVersion !== undefined && rollout) {
    throw usageError('--to-version (an upgrade campaign) cannot be combined with --template/--to/--from (a template rollout)', 'run one campaign kind at a time');
  }
  if (f.toVersion === undefined && !rollout) {
    const looksLikeVersion = f.target !== undefined && /^v?\d+\.\d+$/.test(f.target);
    throw usageError(
      'say what the campaign does: --to-version VERSION (upgrade Kubernetes) or --template NAME --to N (roll out a template version)',
      looksLikeVersion ? `--target selects clusters by deployment target; did you mean --to-version ${f.target!.replace(/^v/, '')}?` : 'example: kaas fleet plan --to-version 1.33 --canary 1 --waves 50,50',
    );
  }
  const settings = {
    selector: selector(f),
    waves: waveStrategy(f),
    maxParallel: f.maxParallel === undefined ? 1 : wholeNumber('--max-parallel', f.maxParallel),
    failureThreshold: f.failureThreshold === undefined ? 0 : wholeNumber('--failure-threshold', f.failureThreshold),
    approvalBetweenWaves: f.approval ?? false,
    soakSeconds: f.soak === undefined ? 0 : wholeNumber('--soak', f.soak),
  };
  if (f.toVersion !== undefined) return { kind: 'upgrade', targetVersion: f.toVersion, ...settings };
  if (f.template === undefined) throw usageError(`${f.to !== undefined ? '--to' : '--from'} is a template version: name the template with --template NAME`, 'to upgrade Kubernetes instead, use --to-version VERSION');
  if (f.to === undefined) throw usageError('--template needs the version to roll out: --to N', `example: --template ${f.template} --to 2`);
  return {
    kind: 'template-rollout',
    template: f.template,
    toVersion: wholeNumber('--to', f.to),
    ...(f.from !== undefined ? { fromVersion: wholeNumber('--from', f.from) } : {}),
    ...settings,
  };
}
