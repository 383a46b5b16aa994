import { matchesResourcePattern, resourceNames } from '../../../lambdas/core/suppressions/resource-pattern';

describe('matchesResourcePattern', () => {
  it.each([
    ['i-0abc', 'i-0abc', true],
    ['i-0abc', 'i-0abcd', false],
    ['i-0abc', 'xi-0abc', false],
    ['i-0abc*', 'i-0abcdef', true],
    ['i-0abc*', 'i-0abc', true],
    ['*def', 'i-0abcdef', true],
    ['*def', 'i-0abcdefx', false],
    ['i-*-x', 'i-a-b-x', true],
    ['111122223333/eu-west-1/*', '111122223333/eu-west-1/i-1', true],
    ['111122223333/eu-west-1/*', '111122223333/eu-west-2/i-1', false],
    ['*', '', true],
    ['*', 'anything/at all', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['**', 'x', true],
  ])('%j against %j is %s', (pattern, value, expected) => {
    expect(matchesResourcePattern(pattern, value)).toBe(expected);
  });

  it('treats regular-expression characters literally', () => {
    expect(matchesResourcePattern('i-.*', 'i-abc')).toBe(false);
    expect(matchesResourcePattern('i-.*', 'i-.anything')).toBe(true);
    expect(matchesResourcePattern('(a|b)', 'a')).toBe(false);
    expect(matchesResourcePattern('(a|b)', '(a|b)')).toBe(true);
    expect(matchesResourcePattern('[abc]?', 'a')).toBe(false);
    expect(matchesResourcePattern('^x$', '^x$')).toBe(true);
    expect(matchesResourcePattern('a\\', 'a\\')).toBe(true);
  });

  it('matches a hostile pattern against a long value without catastrophic backtracking', () => {
    const pattern = `${'*a'.repeat(120)}*b`;
    const value = 'a'.repeat(5000);
    expect(matchesResourcePattern(pattern, value)).toBe(false);
    expect(matchesResourcePattern(pattern, `${value}b`)).toBe(true);
  });

  it('names a resource by id and by account/region/id', () => {
    expect(resourceNames({ accountId: '111122223333', region: 'eu-west-1', resourceId: 'i-1' })).toEqual(['i-1', '111122223333/eu-west-1/i-1']);
  });
});
