/**
 * Every cloud resource a cluster program registers carries the one cluster tag
 * (platform/cluster-tag.ts) that the leak check searches for, wherever the cloud lets it be
 * tagged. A resource type the programs start to register that is in neither list below fails the
 * test, so a new resource has to be tagged or have its reason written down.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, json, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { simProgram } from '../../stacks/sim/program.ts';
import { simProvider } from '../../stacks/sim/provider.ts';
import { clusterTagKey } from '../../platform/cluster-tag.ts';

const mocks = installMocks();
const ID = identity.clusterId;
const KEY = 'kaas-cluster-id';

/** AWS types with no `tags` argument in @pulumi/aws (they are attachments / sub-resources, not ARNs the tagging API lists). */
const AWS_UNTAGGABLE: Record<string, string> = {
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment': 'an attachment of a managed policy to a role, not a resource',
  'aws:iam/rolePolicy:RolePolicy': 'an inline policy is part of its role',
  'aws:ec2/routeTableAssociation:RouteTableAssociation': 'an association, no ARN',
  'aws:eks/accessPolicyAssociation:AccessPolicyAssociation': 'an association on an access entry, no ARN',
};

/** GCP types and where their labels go; the others take no labels in the GCP API. */
const GCP_LABELS: Record<string, (inputs: any) => Record<string, string> | undefined> = {
  'gcp:container/cluster:Cluster': (i) => i.resourceLabels,
  // nodeConfig.resourceLabels are put on the node VMs and their disks
  // (https://cloud.google.com/kubernetes-engine/docs/how-to/creating-managing-labels)
  'gcp:container/nodePool:NodePool': (i) => i.nodeConfig?.resourceLabels,
};
const GCP_UNLABELLABLE: Record<string, string> = {
  'gcp:compute/network:Network': 'VPC networks have no labels (compute v1 networks resource)',
  'gcp:compute/subnetwork:Subnetwork': 'subnetworks have no labels (compute v1 subnetworks resource)',
  'gcp:compute/router:Router': 'Cloud Routers have no labels (compute v1 routers resource)',
  'gcp:compute/routerNat:RouterNat': 'a NAT is a field of its router',
  'gcp:serviceaccount/account:Account': 'IAM service accounts have no labels',
  'gcp:serviceaccount/iAMMember:IAMMember': 'an IAM binding, not a resource',
  'gcp:projects/iAMMember:IAMMember': 'an IAM binding, not a resource',
  'gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember': 'an IAM binding, not a resource',
};

/** Azure types without tags: proxy / extension resources of ARM. */
const AZURE_UNTAGGABLE: Record<string, string> = {
  'azure-native:managedidentity:FederatedIdentityCredential': 'a child (proxy) resource of its identity; no tags in the ARM schema',
  'azure-native:authorization:RoleAssignment': 'an extension resource; no tags in the ARM schema',
  'azure-native:monitor:DataCollectionRuleAssociation': 'an extension resource of the cluster; no tags in the ARM schema (@pulumi/azure-native monitor/dataCollectionRuleAssociation.d.ts has no tags input)',
};

function cloudResources(prefix: string) {
  return mocks.resources.filter((r) => r.type.startsWith(prefix) && !r.type.startsWith(`${prefix}index/provider`) && r.type !== `pulumi:providers:${prefix.slice(0, -1)}`);
}

describe('the cluster tag on every taggable resource (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('is the key the leak check reads, on every cloud', () => {
    for (const cloud of ['sim', 'aws', 'gcp', 'azure'] as const) expect(clusterTagKey(cloud)).toBe(KEY);
  });

  it('EKS: every taggable AWS resource, and the instances and volumes of every node group', async () => {
    await runProgram(eksProgram(standardSpec('aws'), identity, { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/kaas-platform-admin' }), mocks);
    const resources = cloudResources('aws:');
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      if (r.type in AWS_UNTAGGABLE) continue;
      expect(r.inputs.tags?.[KEY], `${r.type} ${r.name}`).toBe(ID);
    }
    // Managed node group tags stay on the node group: instances and volumes are tagged only by
    // the launch template's tag specifications
    // (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html).
    const groups = mocks.ofType('aws:eks/nodeGroup:NodeGroup');
    expect(groups.length).toBe(standardSpec('aws').nodePools.length);
    const templates = mocks.ofType('aws:ec2/launchTemplate:LaunchTemplate');
    for (const g of groups) {
      expect(g.inputs.launchTemplate, g.name).toBeDefined();
      const lt = templates.find((t) => `${t.name}-id` === g.inputs.launchTemplate.id);
      expect(lt, `launch template of ${g.name}`).toBeDefined();
      const specs: Array<{ resourceType: string; tags: Record<string, string> }> = lt!.inputs.tagSpecifications;
      for (const type of ['instance', 'volume', 'network-interface']) {
        expect(specs.find((s) => s.resourceType === type)?.tags[KEY], `${g.name} ${type}`).toBe(ID);
      }
    }
    // the controllers' own cloud resources: load balancers and PVC volumes
    const lbc = mocks.ofType('kubernetes:helm.sh/v3:Release').find((r) => r.name.includes('ingress'));
    expect(lbc?.inputs.values.defaultTags[KEY]).toBe(ID);
    // aws-ebs-csi-driver chart: controller.extraVolumeTags becomes --extra-tags on every
    // volume the driver creates (kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/templates/_helpers.tpl)
    const ebs = mocks.ofType('aws:eks/addon:Addon').find((a) => a.inputs.addonName === 'aws-ebs-csi-driver');
    expect(json(ebs!.inputs.configurationValues).controller.extraVolumeTags[KEY]).toBe(ID);
  });

  it('GKE: every labellable GCP resource', async () => {
    await runProgram(gkeProgram(standardSpec('gcp'), identity), mocks);
    const resources = cloudResources('gcp:');
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      if (r.type in GCP_UNLABELLABLE) continue;
      const labelsOf = GCP_LABELS[r.type];
      expect(labelsOf, `${r.type} is in neither list: label it or say why it cannot be`).toBeDefined();
      expect(labelsOf!(r.inputs)?.[KEY], `${r.type} ${r.name}`).toBe(ID);
    }
  });

  it('AKS: every taggable Azure resource, and the node pools (their VM scale sets)', async () => {
    await runProgram(aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['00000000-0000-0000-0000-0000000000aa'], dnsResourceGroup: 'dns-rg' }), mocks);
    const resources = cloudResources('azure-native:');
    expect(resources.length).toBeGreaterThan(0);
    for (const r of resources) {
      if (r.type in AZURE_UNTAGGABLE) continue;
      expect(r.inputs.tags?.[KEY], `${r.type} ${r.name}`).toBe(ID);
    }
    const mc = mocks.ofType('azure-native:containerservice:ManagedCluster')[0]!;
    for (const p of mc.inputs.agentPoolProfiles) expect(p.tags[KEY]).toBe(ID);
  });

  it('sim: the program and the provider write the same key', async () => {
    await runProgram(simProgram(standardSpec('aws'), identity, { cloudDir: '/nonexistent' }), mocks);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-simtag-'));
    try {
      const { id } = await simProvider.create!({ cloudDir: dir, kind: 'cluster', clusterId: ID, name: 'x', properties: {} });
      const doc = JSON.parse(fs.readFileSync(path.join(dir, 'resources', 'cluster', `${id}.json`), 'utf8'));
      expect(doc.tags[KEY]).toBe(ID);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const cluster = mocks.resources.find((r) => r.name === 'control-plane');
    expect(cluster?.inputs.properties.tags[KEY]).toBe(ID);
  });
});
