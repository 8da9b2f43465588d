import { describe, expect, it } from 'vitest';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from './label-syntax.ts';

describe('dnsLabelProblem', () => {
  it.each(['a', 'payments-dev', 'a1', 'x'.repeat(40)])('accepts %j', (name) => {
    expect(dnsLabelProblem(name, 40)).toBeUndefined();
  });
  it.each([
    ['', 'empty'],
    ['x'.repeat(41), 'at most 40'],
    ['Payments', 'lowercase'],
    ['1abc', 'start with a letter'],
    ['abc-', 'end with a letter or digit'],
    ['../etc', 'lowercase'],
    ['café', 'lowercase'],
    ['a_b', 'lowercase'],
    ['a.b', 'lowercase'],
  ])('rejects %j', (name, reason) => {
    expect(dnsLabelProblem(name, 40)).toContain(reason);
  });
});

describe('labelKeyProblem', () => {
  it.each(['app', 'kaas.io/pool', 'app.kubernetes.io/name', 'A_b.c-d', 'x'.repeat(63)])('accepts %j', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });
  it.each([
    ['', '1..63'],
    ['x'.repeat(64), '1..63'],
    ['a/b/c', 'at most one'],
    ['/name', 'prefix'],
    ['Example.com/name', 'prefix'],
    ['kaas.io/', '1..63'],
    ['-app', 'alphanumeric'],
    ['app name', 'alphanumeric'],
  ])('rejects %j', (key, reason) => {
    expect(labelKeyProblem(key)).toContain(reason);
  });
});

describe('labelValueProblem', () => {
  it.each(['', 'dev', 'v1.2_3-x', 'x'.repeat(63)])('accepts %j', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });
  it.each([
    ['x'.repeat(64), 'at most 63'],
    ['-dev', 'alphanumeric'],
    ['dev.', 'alphanumeric'],
    ['a b', 'alphanumeric'],
    ['ü', 'alphanumeric'],
  ])('rejects %j', (value, reason) => {
    expect(labelValueProblem(value)).toContain(reason);
  });
});
