/** `kaas targets list|get|check|approval-policy|create`. */
import type { Command } from 'commander';
import { checkTarget, targetCheckText } from '../commands/targets/check.ts';
import { createTarget } from '../commands/targets/create.ts';
import { setApprovalPolicy } from '../commands/targets/approval-policy.ts';
import { EXIT } from '../exit-codes.ts';
import { getTarget } from '../commands/targets/get.ts';
import { listTargets } from '../commands/targets/list.ts';
import { collect } from '../flags.ts';
import { targetsTable, targetText } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

export function registerTargets(program: Command, rt: Runtime): void {
  const targets = program.command('targets').alias('target').description('where clusters run: cloud accounts and regions');

  targets
    .command('list')
    .description('list the targets open to you')
    .option('--cloud <cloud>', 'only this cloud: sim, aws, gcp or azure')
    .action(async (o: { cloud?: string }, cmd: Command) => rt.print(cmd, await listTargets(rt.client(cmd), { cloud: o.cloud }), targetsTable));

  targets
    .command('get <name>')
    .description('show a target')
    .action(async (name: string, _o: object, cmd: Command) => rt.print(cmd, await getTarget(rt.client(cmd), { name }), targetText));

  targets
    .command('check <name>')
    .description('check the worker can run clusters on a target: settings, credentials, provider plugins, API endpoint reachability (platform admins)')
    .option('--template <template>', 'check the API endpoint of this template (default: every current template of the target\'s cloud)')
    .option('--set <path=value>', 'a template override for the endpoint check, as in clusters create (repeatable)', collect, [])
    .action(async (name: string, o: { template?: string; set: string[] }, cmd: Command) => {
      const result = await checkTarget(rt.client(cmd), { name, template: o.template, set: o.set });
      rt.print(cmd, result, targetCheckText);
      if (!result.ok) rt.exitCode = EXIT.CONFLICT;
    });

  targets
    .command('approval-policy <name>')
    .description("set which actions on the target's clusters need approval, and by whom (platform admins)")
    .option('--file <file>', 'the policy as YAML or JSON (- reads stdin); see README "Approvals"')
    .option('--default', "restore the platform's default policy")
    .action(async (name: string, o: { file?: string; default?: boolean }, cmd: Command) => rt.print(cmd, await setApprovalPolicy(rt.client(cmd), { name, file: o.file, default: o.default }), targetText));

  targets
    .command('create <name>')
    .description('register a target (platform admins)')
    .requiredOption('--cloud <cloud>', 'sim, aws, gcp or azure')
    .requiredOption('--region <region>', 'cloud region')
    .requiredOption('--account <account>', 'account, project or subscription id')
    .option('--dns-zone <zone>', 'a DNS zone clusters may use (repeatable)', collect, [])
    .option('--allowed-teams <teams>', 'comma-separated teams allowed to use it (default: any)')
    .option('--eks-admin-role-arn <arn>', 'aws: IAM role granted cluster-admin by an access entry; the worker assumes it (required)')
    .option('--gke-credentials <mode>', 'gcp: adc (Application Default Credentials, default) or gcloud')
    .option('--aks-admin-group <objectId>', 'azure: Entra ID group granted cluster-admin (repeatable, at least one)', collect, [])
    .option('--kubelogin-mode <mode>', 'azure: kubelogin login mode, e.g. azurecli (default), workloadidentity, msi')
    .option('--azure-dns-resource-group <group>', 'azure: resource group of the DNS zones (default dns)')
    .option('--worker-network <id>', 'aws/gcp/azure: a VPC / VNet the worker runs in or is peered with, so it reaches private API endpoints there (repeatable)', collect, [])
    .action(async (name: string, o: { cloud: string; region: string; account: string; dnsZone: string[]; allowedTeams?: string; eksAdminRoleArn?: string; gkeCredentials?: string; aksAdminGroup: string[]; kubeloginMode?: string; azureDnsResourceGroup?: string; workerNetwork: string[] }, cmd: Command) => {
      const target = await createTarget(rt.client(cmd), {
        name, cloud: o.cloud, region: o.region, account: o.account, dnsZones: o.dnsZone, allowedTeams: o.allowedTeams,
        eksAdminRoleArn: o.eksAdminRoleArn, gkeCredentials: o.gkeCredentials, aksAdminGroups: o.aksAdminGroup, kubeloginMode: o.kubeloginMode, azureDnsResourceGroup: o.azureDnsResourceGroup, workerNetworks: o.workerNetwork,
      });
      rt.print(cmd, target, targetText);
    });
}
