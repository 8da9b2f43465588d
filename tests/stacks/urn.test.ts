import { describe, expect, it } from 'vitest';
import { urnName } from '../../stacks/engine/urn.ts';

describe('urnName', () => {
  it('is the part after the qualified type', () => {
    expect(urnName('urn:pulumi:kaas-c1::kaas::kaas:sim:Cluster$kaas:sim:NodePool::pool-a')).toBe('pool-a');
  });
  it('keeps "::" inside the name, as Pulumi does', () => {
    expect(urnName('urn:pulumi:kaas-c1::kaas::kaas:sim:Cluster::web::blue')).toBe('web::blue');
  });
});
