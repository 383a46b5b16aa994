/** The typed app configuration: defaults, and a clear error naming each bad field. */
import { App } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigError, loadAppConfig, parseAppConfig } from '../../lib/config/load-app-config';

const minimal = { targets: { regions: ['eu-west-1'] }, readerRole: { externalId: 'ext-id' } };

function problems(raw: unknown): string[] {
  try {
    parseAppConfig(raw, 'test');
  } catch (error) {
    if (error instanceof AppConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

test('a minimal configuration gets the documented defaults', () => {
  const config = parseAppConfig(minimal);
  expect(config.schedule).toEqual({ cron: 'cron(0 2 * * ? *)', timeZone: 'UTC', enabled: true });
  expect(config.targets.source).toBe('self');
  expect(config.readerRole.name).toBe('RedisComplianceReader');
  expect(config.fanOut).toEqual({ enabled: false, maxConcurrency: 4, minutesPerTarget: 10, maxTargets: 2000 });
  expect(config.retentionDays).toBe(90);
  expect(config.scan.redisPorts).toEqual([7000, 7001]);
  expect(config.api.corsAllowOrigins).toEqual([]);
});

test.each([
  [{ ...minimal, targets: { regions: ['Ireland'] } }, 'targets.regions.0: an AWS region name such as eu-west-1'],
  [{ ...minimal, targets: { regions: [] } }, 'targets.regions: list at least one region to scan'],
  [{ ...minimal, schedule: { cron: '0 2 * * *' } }, 'schedule.cron: a cron expression such as cron(0 2 * * ? *)'],
  [{ ...minimal, schedule: { timeZone: 'Mars/Olympus' } }, 'schedule.timeZone: an IANA time zone such as Europe/Lisbon or UTC'],
  [{ ...minimal, targets: { regions: ['eu-west-1'], source: 'accounts' } }, 'targets.accountIds: targets.source is "accounts": list at least one account id'],
  [{ ...minimal, targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: ['1234'] } }, 'targets.accountIds.0: an AWS account id has 12 digits'],
  [{ ...minimal, targets: { regions: ['eu-west-1'], source: 'organization' } }, 'fanOut.enabled: targets.source "organization" lists accounts in the Step Functions fan-out: set fanOut.enabled to true'],
  [{ ...minimal, report: { recipients: ['ops@example.com'] } }, 'report.sender: report.recipients are set: give the sender address (a verified SES identity)'],
  [{ ...minimal, report: { recipients: ['ops@example.com'], sender: 'a@example.com', senderIdentity: 'other.org' } }, 'report.senderIdentity: the SES identity "other.org" does not authorise the sender "a@example.com" (use the address or its domain)'],
  [{ ...minimal, logRetentionDays: 10 }, 'logRetentionDays: one of the CloudWatch Logs retention values'],
  [{ ...minimal, fanOut: { enabled: true, maxConcurrency: 0 } }, 'fanOut.maxConcurrency:'],
  [{ ...minimal, readerRole: { externalId: 'x' } }, 'readerRole.externalId: an sts external id'],
  [{ ...minimal, readerRole: { externalId: 'ext-id', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] } }, 'readerRole.scannerAccountId: StackSets need the scanner account id the reader role trusts'],
  [{ ...minimal, sheduel: {} }, '(root): unknown field(s) sheduel'],
])('rejects %j with a message naming the field', (raw, expected) => {
  expect(problems(raw).some((p) => p.startsWith(expected))).toBe(true);
});

describe('the placeholder external id from cdk.json', () => {
  const placeholder = { externalId: 'redis-compliance-CHANGE-ME' };
  const message = 'readerRole.externalId: "redis-compliance-CHANGE-ME" is the placeholder from cdk.json';

  test.each([
    ['accounts mode', { targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: ['444455556666'] }, readerRole: placeholder }],
    ['organization mode', { targets: { regions: ['eu-west-1'], source: 'organization' }, fanOut: { enabled: true }, readerRole: placeholder }],
    ['self mode that deploys the reader role', { targets: { regions: ['eu-west-1'] }, readerRole: { ...placeholder, scannerAccountId: '111122223333' } }],
  ])('is rejected in %s', (_label, raw) => {
    expect(problems(raw).some((p) => p.startsWith(message))).toBe(true);
  });

  test('is accepted where no role is assumed or deployed (cdk.json\'s own self-mode default still synthesizes)', () => {
    expect(parseAppConfig({ targets: { regions: ['eu-west-1'] }, readerRole: placeholder }).readerRole.externalId).toBe('redis-compliance-CHANGE-ME');
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: { redisCompliance: unknown } };
    expect(() => parseAppConfig(cdkJson.context.redisCompliance)).not.toThrow();
  });
});

test('StackSets: CallAs is SELF unless configured as DELEGATED_ADMIN; nothing else is accepted', () => {
  expect(parseAppConfig(minimal).readerRole.stackSetCallAs).toBe('SELF');
  expect(parseAppConfig({ ...minimal, readerRole: { externalId: 'ext-id', stackSetCallAs: 'DELEGATED_ADMIN' } }).readerRole.stackSetCallAs).toBe('DELEGATED_ADMIN');
  expect(problems({ ...minimal, readerRole: { externalId: 'ext-id', stackSetCallAs: 'ADMIN' } }).some((p) => p.startsWith('readerRole.stackSetCallAs:'))).toBe(true);
});

test('missing required sections are all reported at once', () => {
  const list = problems({});
  expect(list.some((p) => p.startsWith('targets:'))).toBe(true);
  expect(list.some((p) => p.startsWith('readerRole:'))).toBe(true);
});

test('loadAppConfig reads context and merges a config file over it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ targets: { regions: ['us-east-1'] } }));
  const app = new App({ context: { redisCompliance: minimal, redisComplianceConfigFile: file } });
  const config = loadAppConfig(app.node);
  expect(config.targets.regions).toEqual(['us-east-1']);
  expect(config.readerRole.externalId).toBe('ext-id');
  const fromString = new App({ context: { redisCompliance: JSON.stringify(minimal) } });
  expect(loadAppConfig(fromString.node).targets.regions).toEqual(['eu-west-1']);
  expect(() => loadAppConfig(new App({ context: { redisCompliance: minimal, redisComplianceConfigFile: join(dir, 'missing.json') } }).node)).toThrow(/cannot read it as JSON/);
});
