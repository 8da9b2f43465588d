import { describe, expect, it } from 'vitest';
import { CLOUDS } from './cluster-spec.ts';
import { azureResourceGraphQuery, clusterTag, clusterTagKey, gcpAssetQuery, tagKeyIssue } from './cluster-tag.ts';

describe('the cluster tag key', () => {
  it('is one literal, valid on every cloud', () => {
    const keys = new Set(CLOUDS.map((c) => clusterTagKey(c)));
    expect([...keys]).toEqual(['kaas-cluster-id']);
    for (const cloud of CLOUDS) expect(tagKeyIssue(cloud, clusterTagKey(cloud)), cloud).toBeUndefined();
  });

  it('encodes each cloud\'s key rules (so the check above can fail)', () => {
    // the key the sim provider used to write is not a valid GCP label or Azure tag name
    expect(tagKeyIssue('gcp', 'kaas.io/cluster-id')).toMatch(/GCP label keys/);
    expect(tagKeyIssue('azure', 'kaas.io/cluster-id')).toMatch(/cannot contain/);
    expect(tagKeyIssue('aws', 'aws:cluster')).toMatch(/aws: prefix/);
    expect(tagKeyIssue('gcp', 'Cluster')).toMatch(/lowercase/);
    expect(tagKeyIssue('azure', 'microsoft-x')).toMatch(/reserves/);
    expect(tagKeyIssue('aws', 'kaas.io/cluster-id')).toBeUndefined();
  });

  it('refuses a cluster id that is not a valid label value (and cannot inject into a query)', () => {
    expect(clusterTag('gcp', 'c0ffee42')).toEqual({ 'kaas-cluster-id': 'c0ffee42' });
    expect(() => clusterTag('aws', "x' or 1==1")).toThrow(/cannot be a tag value/);
    expect(() => azureResourceGraphQuery('C0FFEE')).toThrow(/lowercase/);
  });

  it('builds the inventory queries on the key', () => {
    expect(gcpAssetQuery('c0ffee42')).toBe('labels.kaas-cluster-id:c0ffee42');
    expect(azureResourceGraphQuery('c0ffee42')).toContain("Resources | where tags['kaas-cluster-id'] == 'c0ffee42'");
  });
});
