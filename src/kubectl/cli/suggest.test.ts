import { describe, expect, it } from 'vitest';
import { levenshtein, suggestionsFor, suggestionText } from './suggest';

// kubectl's top-level commands in the order it adds them.
const COMMANDS = [
  'create',
  'expose',
  'run',
  'set',
  'explain',
  'get',
  'edit',
  'delete',
  'rollout',
  'scale',
  'autoscale',
  'certificate',
  'cluster-info',
  'top',
  'cordon',
  'uncordon',
  'drain',
  'taint',
  'describe',
  'logs',
  'attach',
  'exec',
  'port-forward',
  'proxy',
  'cp',
  'auth',
  'debug',
  'events',
  'diff',
  'apply',
  'patch',
  'replace',
  'wait',
  'kustomize',
  'label',
  'annotate',
  'completion',
  'config',
  'plugin',
  'version',
  'api-versions',
  'api-resources',
  'options',
];

describe('unknown command suggestions (cobra)', () => {
  it('matches what kubectl v1.32.4 suggests', () => {
    // Each expectation was captured from the real binary.
    expect(suggestionsFor('foo', COMMANDS)).toEqual(['top']);
    expect(suggestionsFor('gett', COMMANDS)).toEqual(['set', 'get']);
    expect(suggestionsFor('Get', COMMANDS)).toEqual(['set', 'get']);
    expect(suggestionsFor('bogus', COMMANDS)).toEqual(['logs']);
    expect(suggestionsFor('lable', COMMANDS)).toEqual(['label']);
    expect(suggestionsFor('alph', COMMANDS)).toEqual(['auth']);
    expect(suggestionsFor('optio', COMMANDS)).toEqual(['options']);
    // SuggestFor: `rm` suggests delete, after the commands close to it, in command order.
    expect(suggestionsFor('rm', ['run', { name: 'delete', suggestFor: ['rm'] }, 'cp'])).toEqual([
      'run',
      'delete',
      'cp',
    ]);
    expect(suggestionsFor('co', COMMANDS)).toEqual(['top', 'cordon', 'cp', 'completion', 'config']);
    expect(suggestionsFor('e', COMMANDS)).toEqual([
      'expose',
      'set',
      'explain',
      'get',
      'edit',
      'exec',
      'cp',
      'events',
    ]);
    expect(suggestionsFor('xyzzyq', COMMANDS)).toEqual([]);
  });

  it('formats the hint as cobra does', () => {
    expect(suggestionText(['set', 'get'])).toBe('\n\nDid you mean this?\n\tset\n\tget\n');
    expect(suggestionText([])).toBe('');
  });

  it('computes edit distance', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('get', 'get')).toBe(0);
  });
});
