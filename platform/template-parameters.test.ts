import { describe, expect, it } from 'vitest';
import { parameterValueProblem, parseParameterText, placeholdersIn, substitutePlaceholders, type TemplateParameter } from './template-parameters.ts';

const int: TemplateParameter = { type: 'integer', default: 2, min: 1, max: 4, description: 'n' };
const list: TemplateParameter = { type: 'string-list', default: [], allowed: ['a', 'b'], description: 'l' };

describe('template parameters', () => {
  it.each<[TemplateParameter, unknown, string | undefined]>([
    [int, 3, undefined],
    [int, 5, 'must be <= 4 (got 5)'],
    [int, 0, 'must be >= 1 (got 0)'],
    [int, 2.5, 'must be an integer'],
    [int, '2', 'must be an integer'],
    [{ ...int, allowed: [1, 2] }, 3, 'must be one of 1, 2 (got 3)'],
    [list, ['a'], undefined],
    [list, ['a', 'c'], 'items "c" are not allowed (allowed: a, b)'],
    [{ type: 'boolean', default: true, description: 'b' }, 'true', 'must be true or false'],
    [{ type: 'string', default: '', description: 's' }, 1, 'must be a string'],
  ])('%j with %j', (param, value, problem) => {
    expect(parameterValueProblem(param, value)).toBe(problem);
  });

  it('parses --set text by type', () => {
    expect(parseParameterText(int, '4')).toEqual({ value: 4 });
    expect(parseParameterText(int, '4x')).toEqual({ problem: 'expects an integer, got "4x"' });
    expect(parseParameterText(list, 'a, b')).toEqual({ value: ['a', 'b'] });
  });

  it('finds placeholders with their paths', () => {
    expect(placeholdersIn({ a: ['${x}', 'p-${y}-${x}'], b: 1 })).toEqual([
      { name: 'x', path: 'a.0', whole: true },
      { name: 'y', path: 'a.1', whole: false },
      { name: 'x', path: 'a.1', whole: false },
    ]);
  });

  it('substitutes whole placeholders with typed values and embedded ones as text', () => {
    const body = { n: '${n}', l: '${l}', s: 'x-${n}-${missing}', nested: [{ b: '${b}' }] };
    const values = { n: 3, l: ['a', 'b'], b: false };
    expect(substitutePlaceholders(body, values)).toEqual({ n: 3, l: ['a', 'b'], s: 'x-3-${missing}', nested: [{ b: false }] });
    expect(body.n).toBe('${n}');
  });
});
