/** `kaas clusters …`: create, list, get, plan, update, delete, drift, reconcile, retry, events, operations, kubeconfig. */
import { Command, Option } from 'commander';
import { CLUSTER_STATUSES, type ClusterStatus } from '../../platform/cluster-lifecycle.ts';
import { createCluster } from '../commands/clusters/create.ts';
import { deleteCluster, resolveConfirmation } from '../commands/clusters/delete.ts';
import { checkDrift } from '../commands/clusters/drift.ts';
import { extendCluster, hibernateCluster, setHibernationSchedule, wakeCluster } from '../commands/clusters/lifetime.ts';
import { cloudHibernationLines } from '../../platform/cloud-hibernation.ts';
import { clusterEvents } from '../commands/clusters/events.ts';
import { getCluster } from '../commands/clusters/get.ts';
import { getKubeconfig } from '../commands/clusters/kubeconfig.ts';
import { mergeKubeconfig } from '../commands/clusters/kubeconfig-merge.ts';
import { kubeconfigPath } from '../config.ts';
import { listClusters } from '../commands/clusters/list.ts';
import { listOperations } from '../commands/clusters/operations.ts';
import { planCluster } from '../commands/clusters/plan.ts';
import { reconcileCluster } from '../commands/clusters/reconcile.ts';
import { retryCluster } from '../commands/clusters/retry.ts';
import { rollbackCluster } from '../commands/clusters/rollback.ts';
import { rollbackPlanText } from '../render/rollback.ts';
import { upgradeCluster } from '../commands/clusters/upgrade.ts';
import { upgradePlanText } from '../render/upgrade.ts';
import { updateCluster } from '../commands/clusters/update.ts';
import { usageError } from '../errors.ts';
import { collect, parseLabels, parseSetFlags } from '../flags.ts';
import { ask } from '../prompt.ts';
import { clusterDetailsText, clusterListTable, driftText, eventLogText, operationStartedText, operationsTable, planText, reconcileText } from '../render/clusters.ts';
import { formatData } from '../render/output.ts';
import { formatEventLine } from '../render/progress.ts';
import type { Runtime } from '../runtime.ts';
import { versionWarningText } from '../render/versions.ts';
import { driftOf, reconcileResultOf, type Cluster, type Operation } from '../api-types.ts';
import { EXIT } from '../exit-codes.ts';
import type { Api } from '../client.ts';
import { progressPrinter, reportOutcome, waitForOperation, withInterrupt } from '../wait.ts';

interface TeamOpt {
  team?: string;
}

const teamOption = (cmd: Command) => cmd.option('--team <team>', "the team to act for (default: the context's team; platform admins need one)");

export function registerClusters(program: Command, rt: Runtime): void {
  const clusters = program.command('clusters').alias('cluster').description('create and manage clusters');

  /** Watches a started operation to its end (progress on stderr); then reads the cluster, if it is still there. */
  async function watchStarted(cmd: Command, api: Api, verb: string, name: string, team: string | undefined, operation: Operation): Promise<{ operation: Operation; cluster: Cluster | undefined }> {
    if (rt.format(cmd) === 'table') rt.note(`${verb} cluster "${name}": operation ${operation.id} (${operation.kind}), watching (Ctrl-C stops watching, not the operation)`);
    const { operation: final } = await waitForOperation(rt, api, { team, name, operationId: operation.id });
    const details = await getCluster(api, { team, name, includeDeleted: true }).catch(() => undefined);
    return { operation: final, cluster: details?.cluster };
  }

  /** The end state after a watch: the cluster with the operation, or the operation alone. */
  function printFinal(cmd: Command, final: { operation: Operation; cluster: Cluster | undefined }) {
    const { operation, cluster } = final;
    if (cluster) rt.print(cmd, { cluster, operation }, () => clusterDetailsText({ cluster, operations: [operation] }));
    else rt.print(cmd, { operation }, () => `operation ${operation.id}: ${operation.status}`);
  }

  /** After a mutation: print what started, or wait for it and print the end state. */
  async function startedOrWait(cmd: Command, api: Api, verb: string, name: string, team: string | undefined, operation: Operation, wait: boolean, extra: Record<string, unknown> = {}, costLine?: string) {
    if (!wait) {
      rt.print(cmd, { ...extra, operation }, () => `${operationStartedText(verb, name, operation, team)}${costLine ? `\n${costLine}` : ''}`);
      return;
    }
    if (costLine && rt.format(cmd) === 'table') rt.note(costLine);
    printFinal(cmd, await watchStarted(cmd, api, verb, name, team, operation));
  }

  teamOption(clusters.command('create <name>'))
    .description('create a cluster from a template')
    .requiredOption('--template <ref>', 'template NAME or NAME@VERSION')
    .option('--target <target>', 'target to create it on (default: the template\'s)')
    .option('--set <path=value>', 'override a template parameter (repeatable)', collect, [])
    .option('--label <key=value>', 'label the cluster (repeatable)', collect, [])
    .option('--ttl <duration>', "time-to-live, e.g. 3d or 36h, within the template's max (default: the template's)")
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { template: string; target?: string; set: string[]; label: string[]; ttl?: string; wait?: boolean }, cmd: Command) => {
      const input = { team: o.team, name, template: o.template, target: o.target, set: parseSetFlags(o.set), labels: parseLabels(o.label), ttl: o.ttl };
      const api = rt.client(cmd);
      const { cluster, operation, cost } = await createCluster(api, input);
      const warning = versionWarningText(cluster);
      if (warning) rt.note(warning);
      await startedOrWait(cmd, api, 'creating', name, o.team, operation, o.wait ?? false, { cluster, cost }, cost.summary);
    });

  teamOption(clusters.command('extend <name>'))
    .description("extend a cluster's time-to-live, within its template's max")
    .option('--by <duration>', 'add to the current expiry, e.g. 2d or 12h')
    .option('--until <time>', 'the new expiry, an ISO time like 2026-12-24T18:00:00Z')
    .action(async (name: string, o: TeamOpt & { by?: string; until?: string }, cmd: Command) => {
      if ((o.by === undefined) === (o.until === undefined)) throw usageError('extend needs exactly one of --by or --until', `example: kaas clusters extend ${name} --by 2d`);
      const r = await extendCluster(rt.client(cmd), { team: o.team, name, by: o.by, until: o.until });
      rt.print(cmd, { cluster: name, ...r }, () => `cluster "${name}" now expires at ${r.expiresAt} (was ${r.previous ?? 'never'})`);
    });

  const hibernationHelp = `\nWhat hibernation saves per cloud:\n  ${cloudHibernationLines().join('\n  ')}\n`;
  teamOption(clusters.command('hibernate <name>'))
    .description('scale every node pool to 0 (an update; the sizes are recorded for wake); on AKS, stop the whole cluster instead')
    .addHelpText('after', hibernationHelp)
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const r = await hibernateCluster(api, { team: o.team, name });
      rt.note(r.cloudNote);
      await startedOrWait(cmd, api, 'hibernating', name, o.team, r.operation, o.wait ?? false, { sizes: r.sizes, cloudNote: r.cloudNote });
    });

  teamOption(clusters.command('schedule <name>'))
    .description("set the cluster's hibernation schedule (sleep and wake times in a timezone), or --clear it back to the template's")
    .addHelpText('after', hibernationHelp)
    .option('--days <days>', 'days it sleeps on, e.g. mon-fri or sat,sun', 'mon-fri')
    .option('--sleep <HH:MM>', 'local time it sleeps at')
    .option('--wake <HH:MM>', 'local time it wakes at (the next day when not after --sleep)')
    .option('--timezone <tz>', 'IANA timezone of the times', 'UTC')
    .option('--clear', "remove the cluster's own schedule (the template's applies again)")
    .action(async (name: string, o: TeamOpt & { days: string; sleep?: string; wake?: string; timezone: string; clear?: boolean }, cmd: Command) => {
      if (!o.clear && (o.sleep === undefined || o.wake === undefined)) throw usageError('schedule needs --sleep and --wake (or --clear)', `example: kaas clusters schedule ${name} --days mon-fri --sleep 20:00 --wake 07:00 --timezone Europe/Berlin`);
      const rule = o.clear ? null : { days: o.days, sleep: o.sleep!, wake: o.wake!, timezone: o.timezone };
      const r = await setHibernationSchedule(rt.client(cmd), { team: o.team, name, rule });
      rt.print(cmd, { cluster: name, ...r }, () => (rule ? `cluster "${name}" sleeps ${rule.days} ${rule.sleep}-${rule.wake} ${rule.timezone}` : `cluster "${name}" follows its template's schedule (if any)`));
    });

  teamOption(clusters.command('wake <name>'))
    .description('restore the node-pool sizes recorded when the cluster was hibernated (on AKS, start the cluster first)')
    .addHelpText('after', hibernationHelp)
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const r = await wakeCluster(api, { team: o.team, name });
      await startedOrWait(cmd, api, 'waking', name, o.team, r.operation, o.wait ?? false, { sizes: r.sizes });
    });

  teamOption(clusters.command('list'))
    .description("list clusters (platform admins see every team unless --team or the context's default team; -A overrides that)")
    .addOption(new Option('--status <status>', 'only clusters with this status').choices(CLUSTER_STATUSES))
    .option('--template <name>', 'only clusters from this template (NAME or NAME@VERSION)')
    .option('--target <target>', 'only clusters on this target')
    .option('--search <prefix>', 'only clusters whose name starts with this (case-insensitive)')
    .option('--include-deleted', 'include deleted clusters')
    .option('--all-pages', 'fetch every page, not only the first 50')
    .option('-A, --all-teams', "every team's clusters, also when the context has a default team (platform admins)")
    .action(async (o: TeamOpt & { status?: ClusterStatus; template?: string; target?: string; search?: string; includeDeleted?: boolean; allPages?: boolean; allTeams?: boolean }, cmd: Command) => {
      const list = await listClusters(rt.client(cmd), { team: o.team, allTeams: o.allTeams ?? false, status: o.status, template: o.template, target: o.target, search: o.search, includeDeleted: o.includeDeleted ?? false, allPages: o.allPages ?? false });
      rt.print(cmd, list, clusterListTable);
    });

  teamOption(clusters.command('get <name>'))
    .description('show a cluster and its recent operations')
    .option('--include-deleted', 'also find a deleted cluster')
    .action(async (name: string, o: TeamOpt & { includeDeleted?: boolean }, cmd: Command) => {
      rt.print(cmd, await getCluster(rt.client(cmd), { team: o.team, name, includeDeleted: o.includeDeleted ?? false }), clusterDetailsText);
    });

  teamOption(clusters.command('plan <name>'))
    .description('preview what an update with these --set flags would change (waits for the preview)')
    .option('--set <path=value>', 'a change to preview (repeatable)', collect, [])
    .action(async (name: string, o: TeamOpt & { set: string[] }, cmd: Command) => {
      const set = parseSetFlags(o.set);
      const api = rt.client(cmd);
      const plan = await withInterrupt((signal) => planCluster(api, { team: o.team, name, set }, { signal, onEvent: () => {}, onStatus: progressPrinter((line) => rt.note(line)).onStatus }));
      if (plan.interrupted || plan.operation.status !== 'succeeded') reportOutcome(rt, { team: o.team, name }, { operation: plan.operation, interrupted: plan.interrupted, lastSeq: 0 });
      rt.print(cmd, plan, planText);
    });

  teamOption(clusters.command('update <name>'))
    .description('change a cluster: --set path=value (repeatable)')
    .option('--set <path=value>', 'the change (repeatable, at least one)', collect, [])
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { set: string[]; wait?: boolean }, cmd: Command) => {
      if (o.set.length === 0) throw usageError('update needs at least one --set path=value', `example: kaas clusters update ${name} --set nodeCount=3`);
      const set = parseSetFlags(o.set);
      const api = rt.client(cmd);
      const { operation, cost } = await updateCluster(api, { team: o.team, name, set });
      await startedOrWait(cmd, api, 'updating', name, o.team, operation, o.wait ?? false, { cost }, cost.summary);
    });

  teamOption(clusters.command('delete <name>'))
    .description('delete a cluster and everything in it')
    .option('--confirm <name>', 'repeat the cluster name (asked for on a terminal when omitted)')
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { confirm?: string; wait?: boolean }, cmd: Command) => {
      const confirm = await resolveConfirmation(name, o.confirm, { isTTY: rt.io.stdinIsTTY, ask });
      const api = rt.client(cmd);
      const { operation, approval } = await deleteCluster(api, { team: o.team, name, confirm });
      if (!operation) {
        // a protected or production cluster: the delete waits for someone else's approval
        rt.note(`cluster ${name} is protected: its delete waits for approval request ${approval!.id} (${approval!.rule.approvers} approver(s), not you): kaas approvals approve ${approval!.id}`);
        rt.print(cmd, { approval }, () => `approval request ${approval!.id} (delete of cluster ${name}) is pending until ${approval!.expiresAt}`);
        rt.exitCode = EXIT.CONFLICT;
        return;
      }
      await startedOrWait(cmd, api, 'deleting', name, o.team, operation, o.wait ?? false);
    });

  teamOption(clusters.command('drift <name>'))
    .description('check whether the cloud still matches the cluster (read-only)')
    .option('--wait', 'watch the check until it ends, then print the drift found')
    .action(async (name: string, o: TeamOpt & { wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const { operation } = await checkDrift(api, { team: o.team, name });
      if (!o.wait) return startedOrWait(cmd, api, 'checking drift of', name, o.team, operation, false);
      const final = await watchStarted(cmd, api, 'checking drift of', name, o.team, operation);
      if (final.operation.status !== 'succeeded' || !final.cluster) return printFinal(cmd, final);
      rt.print(cmd, { cluster: name, drift: driftOf(final.cluster), operation: final.operation }, driftText);
    });

  teamOption(clusters.command('reconcile <name>'))
    .description('re-apply the declared spec over what the cloud has (fixes drift)')
    .option('--wait', 'watch the operation until it ends')
    .addHelpText('after', '\nWith --wait, a reconcile that would delete or replace resources changes nothing, prints\nwhat it would do and the approval request it opened, and exits 5. Someone other than you\napproves it (kaas approvals approve ID); the approved reconcile then runs by itself.')
    .action(async (name: string, o: TeamOpt & { wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const { operation } = await reconcileCluster(api, { team: o.team, name });
      if (!o.wait) return startedOrWait(cmd, api, 'reconciling', name, o.team, operation, false);
      const final = await watchStarted(cmd, api, 'reconciling', name, o.team, operation);
      if (final.operation.status !== 'succeeded' && final.operation.status !== 'needs_approval') return printFinal(cmd, final);
      const reconcile = reconcileResultOf(final.operation);
      rt.print(cmd, { cluster: name, reconcile, operation: final.operation }, reconcileText);
      if (reconcile.needsApproval) {
        rt.note(`hint: someone other than you approves it: kaas approvals approve ${reconcile.approval ?? 'ID'} (kaas approvals list shows it)`);
        rt.exitCode = EXIT.CONFLICT;
      }
    });

  teamOption(clusters.command('upgrade <name>'))
    .description('upgrade Kubernetes: the control plane one minor per step, node pools rolled only when the skew forces it and at the end, health gates after each step, preflight before each hop')
    .option('--to <version>', 'the target Kubernetes minor version, e.g. 1.33')
    .option('--plan', 'only show the plan (hops, gates, preflight findings); start nothing')
    .option('--resume', 'continue a failed upgrade from the step that failed')
    .option('--force', "go past the reasons the cluster's blocked upgrade listed (only after preflight blocked it); asks for an approval when the target's policy says so")
    .option('--wait', 'watch the upgrade until it ends')
    .action(async (name: string, o: TeamOpt & { to?: string; plan?: boolean; resume?: boolean; force?: boolean; wait?: boolean }, cmd: Command) => {
      if (!o.to && !o.resume && !o.force) throw usageError('name the target version with --to VERSION, continue a failed upgrade with --resume, or approve a blocked one with --force');
      const api = rt.client(cmd);
      const answer = await upgradeCluster(api, { team: o.team, name, to: o.to, planOnly: o.plan ?? false, resume: o.resume ?? false, force: o.force ?? false });
      rt.print(cmd, answer, upgradePlanText);
      if (answer.approval) {
        rt.note(`the forced upgrade waits for approval request ${answer.approval.id} (${answer.approval.rule.approvers} approver(s), not you): kaas approvals approve ${answer.approval.id}`);
        rt.exitCode = EXIT.CONFLICT;
        return;
      }
      if (!answer.operation || !o.wait) return;
      const final = await watchStarted(cmd, api, 'upgrading', name, o.team, answer.operation);
      printFinal(cmd, final);
      if (final.operation.status === 'needs_approval') {
        // preflight blocked a hop: the steps before it stay applied; the events above list every reason
        rt.note(`hint: fix the causes and upgrade again, or approve exactly these reasons: kaas clusters upgrade ${name} --force${o.team ? ` --team ${o.team}` : ''} (someone else approves it)`);
        rt.exitCode = EXIT.CONFLICT;
      }
    });

  teamOption(clusters.command('rollback <name>'))
    .description('return blue-green node pools to their previous generation within the rollback window (control planes are never rolled back)')
    .option('--plan', 'only show what would be rolled back; start nothing')
    .option('--wait', 'watch the rollback until it ends')
    .action(async (name: string, o: TeamOpt & { plan?: boolean; wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const answer = await rollbackCluster(api, { team: o.team, name, planOnly: o.plan ?? false });
      rt.print(cmd, answer, rollbackPlanText);
      if (!answer.operation || !o.wait) return;
      printFinal(cmd, await watchStarted(cmd, api, 'rolling back', name, o.team, answer.operation));
    });

  teamOption(clusters.command('retry <name>'))
    .description("run a failed cluster's failed operation again")
    .option('--wait', 'watch the operation until it ends')
    .action(async (name: string, o: TeamOpt & { wait?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const { operation } = await retryCluster(api, { team: o.team, name });
      await startedOrWait(cmd, api, 'retrying', name, o.team, operation, o.wait ?? false);
    });

  teamOption(clusters.command('events <name>'))
    .description("show an operation's events (default: the latest operation)")
    .option('--operation <id>', 'the operation id')
    .option('--follow', 'keep printing new events until the operation ends')
    .action(async (name: string, o: TeamOpt & { operation?: string; follow?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      const format = rt.format(cmd);
      if (!o.follow) {
        rt.print(cmd, await clusterEvents(api, { team: o.team, name, operationId: o.operation }), eventLogText);
        return;
      }
      // following: one line per event as it comes (table), or one JSON/YAML document per event
      const emit = (event: Parameters<typeof formatEventLine>[0], op: Operation) => {
        const line = format === 'table' ? formatEventLine(event, { kind: op.kind }) : format === 'json' ? JSON.stringify(event) : `---\n${formatData(event, 'yaml', () => '')}`;
        if (line !== undefined) rt.io.stdout(line + '\n');
      };
      const log = await withInterrupt((signal) => clusterEvents(api, { team: o.team, name, operationId: o.operation, follow: true }, { signal, onEvent: emit, onStatus: progressPrinter((line) => format === 'table' && rt.note(line)).onStatus }));
      reportOutcome(rt, { team: o.team, name, operationId: log.operation.id }, { operation: log.operation, interrupted: log.interrupted, lastSeq: 0 });
    });

  teamOption(clusters.command('operations <name>'))
    .description("list the cluster's operations, newest first")
    .action(async (name: string, o: TeamOpt, cmd: Command) => {
      rt.print(cmd, await listOperations(rt.client(cmd), { team: o.team, name }), (r) => operationsTable(r.items));
    });

  teamOption(clusters.command('kubeconfig <name>'))
    .description('print the kubeconfig, write it to --file (mode 0600), or --merge it into your kubeconfig as context kaas-TEAM-NAME')
    .option('--file <path>', 'write it to this file instead of stdout')
    .option('--merge', 'merge it into ~/.kube/config (or the first file of $KUBECONFIG), replacing its earlier entry, keeping the others')
    .option('--kubeconfig <path>', 'with --merge: the kubeconfig file to merge into')
    .option('--set-current', "with --merge: make it kubectl's current context")
    .action(async (name: string, o: TeamOpt & { file?: string; merge?: boolean; kubeconfig?: string; setCurrent?: boolean }, cmd: Command) => {
      if (!o.merge && (o.setCurrent || o.kubeconfig)) throw usageError(`${o.setCurrent ? '--set-current' : '--kubeconfig'} needs --merge`, `kaas clusters kubeconfig ${name} --merge${o.setCurrent ? ' --set-current' : ''}`);
      if (o.merge && o.file) throw usageError('give either --merge or --file, not both');
      if (o.merge) {
        const api = rt.client(cmd);
        const { cluster } = await getCluster(api, { team: o.team, name });
        const { kubeconfig, simulated } = await getKubeconfig(api, { team: o.team, name });
        if (simulated) rt.note(`warning: cluster "${name}" is simulated (sim cloud): this kubeconfig points at no real Kubernetes API`);
        const connection = rt.connection!;
        const result = mergeKubeconfig({
          file: kubeconfigPath(rt.io.env, o.kubeconfig),
          kubeconfig,
          source: { url: connection.url, team: cluster.team, cluster: cluster.name },
          platform: connection.context ?? new URL(connection.url).host,
          setCurrent: o.setCurrent ?? false,
        });
        rt.print(cmd, { ...result, simulated }, (r) => `${r.replaced ? 'updated' : 'added'} context "${r.context}" in ${r.file} (mode 0600)${r.currentContext === r.context ? `; current context is now "${r.context}"` : `; use it with: kubectl --context ${r.context} …`}`);
        return;
      }
      const result = await getKubeconfig(rt.client(cmd), { team: o.team, name, file: o.file });
      if (result.simulated) rt.note(`warning: cluster "${name}" is simulated (sim cloud): this kubeconfig points at no real Kubernetes API`);
      if (result.file) rt.print(cmd, { file: result.file, simulated: result.simulated }, (r) => `wrote ${r.file} (mode 0600)`);
      else if (rt.format(cmd) === 'table') rt.io.stdout(result.kubeconfig.endsWith('\n') ? result.kubeconfig : result.kubeconfig + '\n');
      else rt.print(cmd, result, () => '');
    });
}
