/** `kaas targets create` cloud-setting flags → the settings object the API validates. */
import { describe, expect, it } from 'vitest';
import { targetSettingsFromFlags } from '../../cli/commands/targets/create.ts';

const base = { name: 't', region: 'r', account: 'a', dnsZones: [] };

describe('targetSettingsFromFlags', () => {
  it('maps each cloud’s flags to its settings', () => {
    expect(targetSettingsFromFlags({ ...base, cloud: 'aws', eksAdminRoleArn: 'arn:aws:iam::123456789012:role/x' })).toEqual({ platformAdminRoleArn: 'arn:aws:iam::123456789012:role/x' });
    expect(targetSettingsFromFlags({ ...base, cloud: 'gcp', gkeCredentials: 'gcloud' })).toEqual({ credentialsMode: 'gcloud' });
    expect(targetSettingsFromFlags({ ...base, cloud: 'azure', aksAdminGroups: ['g1', 'g2'], kubeloginMode: 'msi' })).toEqual({ adminGroupObjectIds: ['g1', 'g2'], kubeloginMode: 'msi' });
    expect(targetSettingsFromFlags({ ...base, cloud: 'sim', aksAdminGroups: [] })).toEqual({});
  });

  it('--worker-network (repeatable) sets workerNetworks on every managed cloud, and is refused on sim', () => {
    expect(targetSettingsFromFlags({ ...base, cloud: 'aws', eksAdminRoleArn: 'arn:aws:iam::123456789012:role/x', workerNetworks: ['vpc-1', 'vpc-2'] })).toEqual({ platformAdminRoleArn: 'arn:aws:iam::123456789012:role/x', workerNetworks: ['vpc-1', 'vpc-2'] });
    expect(targetSettingsFromFlags({ ...base, cloud: 'gcp', workerNetworks: ['kaas-net'] })).toEqual({ workerNetworks: ['kaas-net'] });
    expect(targetSettingsFromFlags({ ...base, cloud: 'gcp', workerNetworks: [] })).toEqual({});
    expect(() => targetSettingsFromFlags({ ...base, cloud: 'sim', workerNetworks: ['vpc-1'] })).toThrow('--worker-network is an aws, gcp or azure setting; this target\'s cloud is sim');
  });

  it('refuses a flag of another cloud, naming it', () => {
    expect(() => targetSettingsFromFlags({ ...base, cloud: 'gcp', eksAdminRoleArn: 'arn' })).toThrow('--eks-admin-role-arn is a aws setting; this target\'s cloud is gcp');
  });
});
