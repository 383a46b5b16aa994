import { ConfigSchema } from '../../../lambdas/core/config';
import { configSuppressions, MAX_RESOURCE_PATTERN_LENGTH, validateNewSuppression } from '../../../lambdas/core/suppressions/suppression-schema';

const NOW = new Date('2030-06-01T00:00:00Z');
const OWNER = 'arn:aws:iam::111122223333:user/platform-lead';
const valid = { ruleId: 'instance.vcpu', resourcePattern: 'i-0abc*', reason: 'Replacement ordered', expiresAt: '2030-07-01T00:00:00Z' };

describe('validateNewSuppression', () => {
  it('accepts a complete waiver that expires in the future', () => {
    expect(validateNewSuppression(valid, NOW, OWNER)).toEqual({ ok: true, value: { ...valid, owner: OWNER } });
    expect(validateNewSuppression({ ...valid, ruleId: '*' }, NOW, OWNER).ok).toBe(true);
  });

  it.each([
    ['missing ruleId', { ...valid, ruleId: undefined }, 'ruleId'],
    ['unknown ruleId', { ...valid, ruleId: 'redis.colour' }, 'ruleId'],
    ['missing pattern', { ...valid, resourcePattern: undefined }, 'resourcePattern'],
    ['empty pattern', { ...valid, resourcePattern: '   ' }, 'resourcePattern'],
    ['pattern too long', { ...valid, resourcePattern: 'i'.repeat(MAX_RESOURCE_PATTERN_LENGTH + 1) }, 'resourcePattern'],
    ['control characters', { ...valid, resourcePattern: 'i-1\n' + 'x' }, 'resourcePattern'],
    ['missing reason', { ...valid, reason: undefined }, 'reason'],
    ['reason not text', { ...valid, reason: 42 }, 'reason'],
    ['an owner in the body (it is the caller\'s IAM identity)', { ...valid, owner: 'someone-else' }, 'owner'],
    ['expiresAt not ISO', { ...valid, expiresAt: 'next tuesday' }, 'expiresAt'],
    ['expiresAt without zone', { ...valid, expiresAt: '2030-07-01T00:00:00' }, 'expiresAt'],
    ['expiresAt in the past', { ...valid, expiresAt: '2030-05-31T23:59:59Z' }, 'expiresAt'],
    ['expiresAt now', { ...valid, expiresAt: NOW.toISOString() }, 'expiresAt'],
    ['unknown field', { ...valid, colour: 'red' }, 'colour'],
    ['client-chosen id', { ...valid, id: 'mine' }, 'id'],
  ])('rejects %s, naming the field', (_label, body, field) => {
    const result = validateNewSuppression(body, NOW, OWNER);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.field).toBe(field);
      expect(result.message.length).toBeGreaterThan(0);
    }
  });

  it.each([null, [], 'text', 3])('rejects a body that is not an object: %j', (body) => {
    expect(validateNewSuppression(body, NOW, OWNER)).toEqual({ ok: false, field: 'body', message: 'must be a JSON object' });
  });
});

describe('waivers in the config file', () => {
  it('are parsed by the config schema, expired ones included, and get ids', () => {
    const config = ConfigSchema.parse({
      suppressions: [
        { ...valid, owner: 'platform-team', id: 'legacy-fleet' },
        { ...valid, owner: 'platform-team', expiresAt: '2020-01-01T00:00:00Z' },
      ],
    });
    const waivers = configSuppressions(config.suppressions ?? [], NOW);
    expect(waivers.map((w) => [w.id, w.expiresAt])).toEqual([
      ['legacy-fleet', '2030-07-01T00:00:00Z'],
      ['config-2', '2020-01-01T00:00:00Z'],
    ]);
    expect(waivers[0]!.createdAt).toBe(NOW.toISOString());
  });

  it('are optional, and invalid ones are rejected', () => {
    expect(ConfigSchema.parse({}).suppressions).toBeUndefined();
    expect(ConfigSchema.safeParse({ suppressions: [{ ...valid, owner: 'platform-team', expiresAt: 'soon' }] }).success).toBe(false);
  });
});
