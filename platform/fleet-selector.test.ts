import { describe, expect, it } from 'vitest';
import { selectClusters, type FleetCluster, type FleetSelector } from './fleet-selector.ts';

const fleet: FleetCluster[] = [
  { id: 'c3', name: 'web', team: 'shop', cloud: 'aws', target: 'aws-prod', template: 'eks-production@2', labels: { env: 'prod' }, version: '1.32' },
  { id: 'c1', name: 'api', team: 'shop', cloud: 'aws', target: 'aws-dev', template: 'eks-standard@1', labels: { env: 'dev' }, version: '1.31' },
  { id: 'c2', name: 'batch', team: 'data', cloud: 'gcp', target: 'gcp-prod', labels: { env: 'prod', tier: 'gold' }, version: '1.33' },
  { id: 'c0', name: 'api', team: 'data', cloud: 'sim', target: 'sim-local', template: 'sim-dev@1', labels: {}, version: '1.33' },
];

describe('selectClusters', () => {
  it.each<[string, FleetSelector, string[]]>([
    ['everything, sorted by name then id', {}, ['c0', 'c1', 'c2', 'c3']],
    ['cloud', { cloud: 'aws' }, ['c1', 'c3']],
    ['target', { target: 'gcp-prod' }, ['c2']],
    ['team', { team: 'data' }, ['c0', 'c2']],
    ['template by name, any version', { template: 'eks-production' }, ['c3']],
    ['template by exact version', { template: 'eks-production@1' }, []],
    ['no template never matches a template selector', { template: 'gke-standard' }, []],
    ['label equality', { labels: { env: 'prod' } }, ['c2', 'c3']],
    ['several labels', { labels: { env: 'prod', tier: 'gold' } }, ['c2']],
    ['version range', { version: { min: '1.32', max: '1.32' } }, ['c3']],
    ['version min only', { version: { min: '1.33' } }, ['c0', 'c2']],
    ['combined criteria', { cloud: 'aws', labels: { env: 'dev' }, version: { max: '1.31' } }, ['c1']],
    ['nothing', { cloud: 'azure' }, []],
  ])('%s', (_name, selector, ids) => {
    expect(selectClusters(selector, fleet).map((c) => c.id)).toEqual(ids);
  });
});
