import { describe, expect, it } from 'vitest';
import { CLOUD_HIBERNATION } from './cloud-hibernation.ts';
import { hibernationSchema, isAsleep, parseDays, type HibernationSchedule } from './hibernation-schedule.ts';
import { recordedSizes, withPoolSizes } from './pool-sizes.ts';

const berlin = (rule: Partial<{ days: string; sleep: string; wake: string }> = {}): HibernationSchedule =>
  hibernationSchema.parse({ schedule: [{ days: 'mon-fri', sleep: '20:00', wake: '07:00', timezone: 'Europe/Berlin', ...rule }] }) as HibernationSchedule;

describe('parseDays', () => {
  it.each([
    ['mon-fri', ['mon', 'tue', 'wed', 'thu', 'fri']],
    ['sat,sun', ['sat', 'sun']],
    [['mon', 'wed'], ['mon', 'wed']],
    ['fri-mon', undefined],
    ['funday', undefined],
    ['', undefined],
  ])('%j → %j', (days, want) => expect(parseDays(days)).toEqual(want));
});

describe('hibernationSchema', () => {
  it.each([
    [{ schedule: [{ days: 'mon-fri', sleep: '20:00', wake: '07:00', timezone: 'Europe/Berlin' }] }, true],
    [{ schedule: [{ days: 'mon-fri', sleep: '20:00', wake: '07:00', timezone: 'Mars/Olympus' }] }, false],
    [{ schedule: [{ days: 'mon-fri', sleep: '24:00', wake: '07:00', timezone: 'UTC' }] }, false],
    [{ schedule: [{ days: 'mon-fri', sleep: '07:00', wake: '07:00', timezone: 'UTC' }] }, false],
    [{ schedule: [{ days: 'someday', sleep: '20:00', wake: '07:00', timezone: 'UTC' }] }, false],
    [{ schedule: [] }, false],
    [{ schedule: [{ days: 'mon', sleep: '20:00', wake: '07:00', timezone: 'UTC', extra: 1 }] }, false],
  ])('%j valid: %s', (input, ok) => expect(hibernationSchema.safeParse(input).success).toBe(ok));
});

describe('isAsleep (Europe/Berlin, weekdays 20:00 → 07:00)', () => {
  it.each([
    // Monday 2026-12-07, CET = UTC+1
    ['2026-12-07T18:59:00Z', false], // 19:59 Mon
    ['2026-12-07T19:00:00Z', true], // 20:00 Mon
    ['2026-12-08T05:59:00Z', true], // 06:59 Tue
    ['2026-12-08T06:00:00Z', false], // 07:00 Tue
    // Friday night sleeps into Saturday 07:00; Saturday and Sunday nights are not listed
    ['2026-12-12T05:00:00Z', true], // 06:00 Sat
    ['2026-12-12T21:00:00Z', false], // 22:00 Sat
    ['2026-12-13T21:00:00Z', false], // 22:00 Sun
  ])('%s asleep: %s', (at, want) => expect(isAsleep(berlin(), new Date(at))).toBe(want));

  it.each([
    // DST starts Sunday 2026-03-29 02:00 → 03:00 (CEST = UTC+2): 07:00 local is 05:00 UTC on Tuesday 03-31
    ['2026-03-31T04:59:00Z', true], // 06:59 CEST Tue (Monday night)
    ['2026-03-31T05:00:00Z', false],
    ['2026-03-30T04:59:00Z', false], // Monday morning: Sunday night is not listed
    ['2026-03-30T17:59:00Z', false],
    ['2026-03-30T18:00:00Z', true], // 20:00 CEST
    // DST ends Sunday 2026-10-25 03:00 → 02:00: Monday 10-26 20:00 CET is 19:00 UTC
    ['2026-10-26T18:59:00Z', false],
    ['2026-10-26T19:00:00Z', true],
  ])('DST edge %s asleep: %s', (at, want) => expect(isAsleep(berlin(), new Date(at))).toBe(want));

  it('a sleep time skipped by spring-forward (02:30) still sleeps, from 03:00', () => {
    const s = berlin({ days: 'sun', sleep: '02:30', wake: '06:00' });
    expect(isAsleep(s, new Date('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(isAsleep(s, new Date('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
  });

  it('same-day schedules (wake after sleep)', () => {
    const lunch = berlin({ days: 'mon', sleep: '12:00', wake: '13:00' });
    expect(isAsleep(lunch, new Date('2026-12-07T11:30:00Z'))).toBe(true);
    expect(isAsleep(lunch, new Date('2026-12-07T12:00:00Z'))).toBe(false);
  });
});

describe('withPoolSizes', () => {
  const spec = { nodePools: [{ name: 'general', minSize: 1, desiredSize: 3 }, { name: 'batch', minSize: 0, desiredSize: 1 }] };
  it('sleeps every pool and restores exactly the recorded sizes', () => {
    const asleep = withPoolSizes(spec, 'zero');
    expect(asleep.nodePools.map((p) => [p.minSize, p.desiredSize])).toEqual([[0, 0], [0, 0]]);
    expect(withPoolSizes(asleep, recordedSizes(spec.nodePools))).toEqual(spec);
  });
  it('a pool added while asleep keeps its size', () => {
    const more = { nodePools: [...withPoolSizes(spec, 'zero').nodePools, { name: 'gpu', minSize: 0, desiredSize: 2 }] };
    expect(withPoolSizes(more, recordedSizes(spec.nodePools)).nodePools.map((p) => p.desiredSize)).toEqual([3, 1, 2]);
  });
});

describe('CLOUD_HIBERNATION', () => {
  // AKS start/stop: https://learn.microsoft.com/azure/aks/start-stop-cluster ; EKS bills the control plane hourly: https://aws.amazon.com/eks/pricing/
  it.each([
    ['azure', true],
    ['aws', false],
    ['gcp', false],
    ['sim', false],
  ] as const)('%s can stop its control plane: %s', (cloud, stop) => expect(CLOUD_HIBERNATION[cloud].controlPlaneStop).toBe(stop));
});
