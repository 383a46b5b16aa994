/**
 * A large organization deploys: at 1,000 accounts (accounts mode, fan-out, StackSets, Security Hub
 * import) every IAM policy of every stack stays under IAM's size limits and every Lambda
 * environment under Lambda's 4 KB, and the configuration refuses what cannot deploy.
 * Sizes are counted as IAM counts them (JSON without whitespace), with each CloudFormation token
 * replaced by a string at least as long as what it resolves to (an ARN: 2048 would be absurd;
 * 200 characters covers every ARN and name these stacks produce).
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { parseAppConfig } from '../../lib/config/load-app-config';
import { ACCOUNT_LIST_CONDITION_LIMIT } from '../../lib/constructs/reader-permissions';
import { BASE_CONFIG, buildTestApp } from './app-fixture';

/** IAM quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html) and Lambda's environment quota. */
const LIMITS = { managedPolicy: 6144, roleInlineTotal: 10240, trustPolicy: 2048, lambdaEnvironment: 4096 };
const TOKEN = 'x'.repeat(200);

/** A template value as the string it becomes, tokens at their longest. */
function render(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(render);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [fn, arg] = entries[0]!;
      if (fn === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]];
        return parts.map((p) => (typeof p === 'string' ? p : String(render(p)))).join(sep);
      }
      if (fn === 'Ref' || fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue' || fn === 'Fn::Select' || fn === 'Fn::Sub') return TOKEN;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, render(v)]));
  }
  return value;
}

const size = (doc: unknown) => JSON.stringify(render(doc)).length;

function measure(stacks: Stack[]) {
  const roleInline = new Map<string, number>();
  const managed: number[] = [];
  const trust: number[] = [];
  const environments: Array<{ id: string; bytes: number }> = [];
  for (const stack of stacks) {
    const resources = Template.fromStack(stack).toJSON()['Resources'] as Record<string, { Type: string; Properties: Record<string, any> }>;
    for (const [id, r] of Object.entries(resources)) {
      const key = (roleRef: unknown) => `${stack.stackName}/${JSON.stringify(roleRef)}`;
      if (r.Type === 'AWS::IAM::Policy') {
        for (const role of r.Properties['Roles'] ?? []) roleInline.set(key(role), (roleInline.get(key(role)) ?? 0) + size(r.Properties['PolicyDocument']));
      }
      if (r.Type === 'AWS::IAM::Role') {
        trust.push(size(r.Properties['AssumeRolePolicyDocument']));
        for (const p of r.Properties['Policies'] ?? []) roleInline.set(key({ Ref: id }), (roleInline.get(key({ Ref: id })) ?? 0) + size(p.PolicyDocument));
      }
      if (r.Type === 'AWS::IAM::ManagedPolicy') managed.push(size(r.Properties['PolicyDocument']));
      if (r.Type === 'AWS::Lambda::Function') {
        const vars = (render(r.Properties['Environment']?.['Variables'] ?? {}) as Record<string, string>);
        // Lambda counts the variables' keys and values.
        environments.push({ id: `${stack.stackName}/${id}`, bytes: Object.entries(vars).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0) });
      }
    }
  }
  return { roleInline: [...roleInline.values()], managed, trust, environments };
}

const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i * 7919));

function largeApp(n: number, inOrganization: boolean) {
  const { stacks } = buildTestApp({
    targets: { regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: accounts(n), accountsInOrganization: inOrganization },
    fanOut: { enabled: true },
    readerRole: { externalId: 'test-external-id-0123456789', scannerAccountId: '111122223333', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] },
    securityHub: { enabled: true, memberRoleName: 'RedisComplianceSecurityHubImport' },
    alarms: { email: 'oncall@example.com' },
  });
  const all = [stacks.data, stacks.scanner, ...stacks.inventory, ...stacks.memberInventory, ...(stacks.readerRole ? [stacks.readerRole] : []), ...(stacks.memberStackSets ? [stacks.memberStackSets] : [])];
  return { stacks, all };
}

describe.each([
  ['1,000 accounts of the organization', 1000, true],
  [`${ACCOUNT_LIST_CONDITION_LIMIT} listed accounts (no organization)`, ACCOUNT_LIST_CONDITION_LIMIT, false],
] as const)('synth at %s', (_label, n, inOrganization) => {
  const { all } = largeApp(n, inOrganization);
  const m = measure(all);

  test('every role\'s inline policies, every managed policy and trust policy fit IAM\'s limits', () => {
    expect(m.roleInline.length).toBeGreaterThan(5);
    expect(Math.max(...m.roleInline)).toBeLessThanOrEqual(LIMITS.roleInlineTotal);
    for (const s of m.managed) expect(s).toBeLessThanOrEqual(LIMITS.managedPolicy);
    for (const s of m.trust) expect(s).toBeLessThanOrEqual(LIMITS.trustPolicy);
  });

  test('every Lambda environment fits in 4 KB', () => {
    expect(m.environments.length).toBeGreaterThanOrEqual(7);
    for (const e of m.environments) expect(e).toEqual({ id: e.id, bytes: expect.any(Number) });
    expect(Math.max(...m.environments.map((e) => e.bytes))).toBeLessThanOrEqual(LIMITS.lambdaEnvironment);
  });
});

test('the AssumeRole grants name the role once, bounded by the organization or the account list, not one ARN per account', () => {
  const statements = (n: number, org: boolean) => {
    const t = Template.fromStack(largeApp(n, org).stacks.scanner).toJSON()['Resources'] as Record<string, { Type: string; Properties: Record<string, any> }>;
    return Object.values(t).filter((r) => r.Type === 'AWS::IAM::Policy').flatMap((r) => r.Properties['PolicyDocument']['Statement'] as Array<Record<string, any>>).filter((s) => s['Action'] === 'sts:AssumeRole');
  };
  const org = statements(1000, true);
  expect(org.length).toBeGreaterThanOrEqual(2);
  for (const s of org) {
    expect(JSON.stringify(s['Resource'])).toMatch(/iam::\*:role\//);
    expect(s['Condition']).toEqual({ StringEquals: { 'aws:ResourceOrgID': '${aws:PrincipalOrgID}' } });
  }
  const listed = statements(3, false);
  for (const s of listed) expect(s['Condition']).toEqual({ StringEquals: { 'aws:ResourceAccount': accounts(3) } });
});

describe('the configuration refuses what cannot deploy', () => {
  const parse = (over: Record<string, unknown>) => () => parseAppConfig({ ...BASE_CONFIG, readerRole: { externalId: 'test-external-id-0123456789' }, ...over }, 'test');
  test(`more than ${ACCOUNT_LIST_CONDITION_LIMIT} accounts not declared in the organization`, () => {
    expect(parse({ targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: accounts(ACCOUNT_LIST_CONDITION_LIMIT + 1) }, fanOut: { enabled: true } })).toThrow(/targets\.accountsInOrganization/);
  });
  test('more accounts than the scan Lambda alone scans, without the fan-out', () => {
    expect(parse({ targets: { regions: ['eu-west-1'], source: 'accounts', accountIds: accounts(101), accountsInOrganization: true } })).toThrow(/fanOut\.enabled/);
  });
});
