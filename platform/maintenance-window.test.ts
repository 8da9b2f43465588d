import { describe, expect, it } from 'vitest';
import { isInsideWindow, parseMaintenanceWindow, type MaintenanceWindow } from './maintenance-window.ts';

// 2025-06-07 is a Saturday.
const at = (iso: string) => new Date(iso);
const weekend: MaintenanceWindow = { days: ['sat', 'sun'], startUtc: '02:00', durationMinutes: 240 };

describe('isInsideWindow', () => {
  it.each<[string, MaintenanceWindow, string, boolean]>([
    ['at the opening minute', weekend, '2025-06-07T02:00:00Z', true],
    ['just before opening', weekend, '2025-06-07T01:59:59Z', false],
    ['last minute', weekend, '2025-06-07T05:59:00Z', true],
    ['at the end (exclusive)', weekend, '2025-06-07T06:00:00Z', false],
    ['second day', weekend, '2025-06-08T03:00:00Z', true],
    ['a weekday', weekend, '2025-06-09T03:00:00Z', false],
    ['past midnight', { days: ['fri'], startUtc: '22:00', durationMinutes: 240 }, '2025-06-07T01:30:00Z', true],
    ['past midnight, after the end', { days: ['fri'], startUtc: '22:00', durationMinutes: 240 }, '2025-06-07T02:00:00Z', false],
    ['Sunday into Monday (week wrap)', { days: ['sun'], startUtc: '23:00', durationMinutes: 120 }, '2025-06-09T00:30:00Z', true],
    ['whole week', { days: ['mon'], startUtc: '00:00', durationMinutes: 10080 }, '2025-06-11T12:00:00Z', true],
    ['one-minute window', { days: ['sat'], startUtc: '23:59', durationMinutes: 1 }, '2025-06-07T23:59:30Z', true],
  ])('%s', (_name, window, now, expected) => {
    expect(isInsideWindow(window, at(now))).toBe(expected);
  });
});

describe('parseMaintenanceWindow', () => {
  it.each<[string, unknown, string]>([
    ['no days (never opens)', { ...weekend, days: [] }, 'maintenanceWindow.days: must list at least one day, otherwise the window never opens'],
    ['repeated day', { ...weekend, days: ['sat', 'sat'] }, 'maintenanceWindow.days: must not repeat a day'],
    ['unknown day', { ...weekend, days: ['saturday'] }, 'maintenanceWindow.days.0'],
    ['24:00', { ...weekend, startUtc: '24:00' }, 'maintenanceWindow.startUtc: must be HH:MM'],
    ['no leading zero', { ...weekend, startUtc: '2:00' }, 'maintenanceWindow.startUtc: must be HH:MM'],
    ['zero duration', { ...weekend, durationMinutes: 0 }, 'maintenanceWindow.durationMinutes'],
    ['longer than a week', { ...weekend, durationMinutes: 10081 }, 'maintenanceWindow.durationMinutes'],
    ['extra key', { ...weekend, timezone: 'CET' }, 'unknown field(s) "timezone"'],
  ])('rejects %s', (_name, input, expected) => {
    expect(() => parseMaintenanceWindow(input)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(expected) }));
  });

  it('isInsideWindow refuses a window that never opens', () => {
    expect(() => isInsideWindow({ ...weekend, days: [] }, at('2025-06-07T03:00:00Z'))).toThrow(/never opens/);
  });
});
