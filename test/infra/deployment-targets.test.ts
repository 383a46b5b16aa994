/**
 * Stacks deploy where they belong and the first deployment does not fail.
 *   - defect 4: member templates (reader role, inventory) are bootstrapless, in the `Member` stage;
 *     the StackSets are in the `Organization` stage, pinned to the management / delegated-admin
 *     account, with the configured CallAs; `cdk deploy --all` (top-level stacks only) selects the
 *     scanner account's stacks; StackSet templates are rendered outside cdk.out, tagged, cdk-nag'd;
 *   - defect 8: reserved concurrency on the scan and merge functions;
 *   - defect 10: a Distributed Map when the targets can exceed the inline Map's history budget;
 *   - defect 2: RecordTargetFailure is retried.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { INLINE_MAP_TARGET_LIMIT } from '../../lib/constructs/scan-fan-out';
import { MEMBER_STAGE, ORGANIZATION_STAGE } from '../../lib/redis-compliance-app';
import { renderStandaloneTemplate } from '../../lib/stacks/render-template';
import { buildTestApp as buildApp } from './app-fixture';

/** Each configuration is built once for the whole file (synthesis is the slow part). */
const builtApps = new Map<string, ReturnType<typeof buildApp>>();
function buildTestApp(overrides: Parameters<typeof buildApp>[0] = {}): ReturnType<typeof buildApp> {
  const key = JSON.stringify(overrides);
  if (!builtApps.has(key)) builtApps.set(key, buildApp(overrides));
  return builtApps.get(key)!;
}

const ORG = {
  fanOut: { enabled: true },
  targets: { regions: ['eu-west-1', 'us-east-1'], source: 'organization' as const },
  readerRole: { externalId: 'org-external-id', scannerAccountId: '111122223333', stackSetOrganizationalUnitIds: ['ou-ab12-cdef3456'] },
};

function stateMachineStates(overrides: Parameters<typeof buildTestApp>[0]) {
  const t = Template.fromStack(buildTestApp(overrides).stacks.scanner);
  const body = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]!['Properties']['DefinitionString'];
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(text).States as Record<string, Record<string, any>>;
}

describe('where each stack deploys (defect 4)', () => {
  const built = buildTestApp({ ...ORG, readerRole: { ...ORG.readerRole, stackSetAccountId: '999900001111', stackSetCallAs: 'DELEGATED_ADMIN' } });
  const assembly = built.app.synth();

  test('`cdk deploy --all` selects the top-level stacks: only the scanner account\'s', () => {
    expect(assembly.stacks.map((s) => s.hierarchicalId).sort()).toEqual(['RedisCompliance-Data', 'RedisCompliance-RedisInventory-eu-west-1', 'RedisCompliance-RedisInventory-us-east-1', 'RedisCompliance-Scanner']);
    for (const s of assembly.stacks) expect(s.environment.account).toBe('111122223333');
  });

  test('member stacks sit in the Member stage, environment-agnostic in account, under their plain stack names', () => {
    const member = assembly.stacksRecursively.filter((s) => s.hierarchicalId.startsWith(`${MEMBER_STAGE}/`));
    expect(member.map((s) => `${s.hierarchicalId} ${s.stackName} ${s.environment.region}`).sort()).toEqual([
      'Member/RedisCompliance-Member-ReaderRole RedisCompliance-Member-ReaderRole unknown-region',
      'Member/RedisCompliance-Member-RedisInventory-eu-west-1 RedisCompliance-Member-RedisInventory-eu-west-1 eu-west-1',
      'Member/RedisCompliance-Member-RedisInventory-us-east-1 RedisCompliance-Member-RedisInventory-us-east-1 us-east-1',
    ]);
    for (const s of member) expect(s.environment.account).toBe('unknown-account');
  });

  test('member templates need no bootstrap: no BootstrapVersion parameter or rule, no assets, no deploy role', () => {
    const member = assembly.stacksRecursively.filter((s) => s.hierarchicalId.startsWith(`${MEMBER_STAGE}/`));
    for (const s of member) {
      const template = s.template as { Parameters?: Record<string, unknown>; Rules?: Record<string, unknown> };
      expect(template.Parameters?.['BootstrapVersion']).toBeUndefined();
      expect(template.Rules?.['CheckBootstrapVersion']).toBeUndefined();
      expect(s.assets).toEqual([]);
      expect(s.assumeRoleArn).toBeUndefined();
    }
    // The scanner account is bootstrapped and its stacks say so (the check above can fail).
    expect((assembly.getStackByName('RedisCompliance-Scanner').template as { Parameters?: Record<string, unknown> }).Parameters?.['BootstrapVersion']).toBeDefined();
  });

  test('the StackSets stack is pinned to the management / delegated-admin account and uses its CallAs', () => {
    const stackSets = assembly.stacksRecursively.find((s) => s.hierarchicalId === `${ORGANIZATION_STAGE}/RedisCompliance-MemberStackSets`)!;
    expect(stackSets.environment.account).toBe('999900001111');
    expect(stackSets.stackName).toBe('RedisCompliance-MemberStackSets');
    const sets = Object.values(Template.fromStack(built.stacks.memberStackSets!).findResources('AWS::CloudFormation::StackSet'));
    expect(sets.map((s) => s['Properties']['CallAs'])).toEqual(['DELEGATED_ADMIN', 'DELEGATED_ADMIN']);
    const byDefault = buildTestApp(ORG);
    expect(Object.values(Template.fromStack(byDefault.stacks.memberStackSets!).findResources('AWS::CloudFormation::StackSet')).map((s) => s['Properties']['CallAs'])).toEqual(['SELF', 'SELF']);
    expect(byDefault.app.synth().stacksRecursively.find((s) => s.stackName === 'RedisCompliance-MemberStackSets')!.environment.account).toBe('111122223333');
  });

  test('every member resource carries the resource tags, in the stages and in the StackSet templates', () => {
    const role = Object.values(Template.fromStack(built.stacks.readerRole!).findResources('AWS::IAM::Role'))[0]!;
    expect(role['Properties']['Tags']).toEqual([{ Key: 'Project', Value: 'redis-compliance' }]);
    const readerSet = Object.values(Template.fromStack(built.stacks.memberStackSets!).findResources('AWS::CloudFormation::StackSet')).find((s) => s['Properties']['StackSetName'].endsWith('reader-role'))!;
    const body = JSON.parse(readerSet['Properties']['TemplateBody']) as { Resources: Record<string, { Properties: { Tags?: unknown } }>; Parameters?: unknown };
    expect(Object.values(body.Resources)[0]!.Properties.Tags).toEqual([{ Key: 'Project', Value: 'redis-compliance' }]);
    expect(body.Parameters).toBeUndefined();
  });
});

describe('StackSet templates are rendered apart (defect 4)', () => {
  test('the inner synthesis writes nothing into the outer cdk.out (CDK_OUTDIR)', () => {
    const outer = mkdtempSync(join(tmpdir(), 'outer-cdk-out-'));
    const saved = process.env['CDK_OUTDIR'];
    process.env['CDK_OUTDIR'] = outer;
    try {
      renderStandaloneTemplate((app, synthesizer) => new Stack(app, 'Empty', { synthesizer }));
    } finally {
      if (saved === undefined) delete process.env['CDK_OUTDIR'];
      else process.env['CDK_OUTDIR'] = saved;
    }
    expect(readdirSync(outer)).toEqual([]);
  });

  test('cdk-nag checks the inner template: an unacknowledged wildcard stops the rendering', () => {
    expect(() => renderStandaloneTemplate((app, synthesizer) => {
      const stack = new Stack(app, 'Loose', { synthesizer });
      new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal(), inlinePolicies: { p: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] }) } });
      return stack;
    })).toThrow(/AwsSolutions-IAM5/);
  });
});

describe('one scan at a time (defect 8)', () => {
  test('the scan and merge functions reserve the configured concurrency (default 1); 0 reserves none', () => {
    const fns = (overrides: Parameters<typeof buildTestApp>[0]) => {
      const t = Template.fromStack(buildTestApp(overrides).stacks.scanner);
      return Object.fromEntries(Object.entries(t.findResources('AWS::Lambda::Function')).map(([id, r]) => [id.replace(/Function[0-9A-F]{8}$/, ''), r['Properties']['ReservedConcurrentExecutions']]));
    };
    expect(fns({})).toEqual({ Scan: 1, Report: undefined, Api: undefined, FanOutListTargets: undefined, FanOutScanTarget: undefined, FanOutMerge: 1 });
    expect(Object.values(fns({ scanReservedConcurrency: 0 })).every((v) => v === undefined)).toBe(true);
  });
});

describe('the fan-out beyond the inline Map limit (defect 10) and its failure record (defect 2)', () => {
  test('an organization runs a Distributed Map: STANDARD child executions, ToleratedFailurePercentage 0', () => {
    const map = stateMachineStates(ORG)['ScanTargets']!;
    expect(map['Type']).toBe('Map');
    expect(map['ItemProcessor']['ProcessorConfig']).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    // 0 is the service default: CDK renders ToleratedFailurePercentage only when it is above 0
    // (Step Functions guide, state-map-distributed.html#maprun-fail-threshold). Any other value would show here.
    expect(map['ToleratedFailurePercentage'] ?? 0).toBe(0);
    expect(map['ToleratedFailureCount'] ?? 0).toBe(0);
    expect(map['Label']).toBe('ScanTargets');
  });

  test('a short account list keeps the inline Map; more targets than the limit distribute', () => {
    const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));
    const inline = stateMachineStates({ fanOut: { enabled: true }, targets: { regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: accounts(3) }, readerRole: { externalId: 'ext-id-1' } })['ScanTargets']!;
    expect(inline['ItemProcessor']['ProcessorConfig']?.['Mode'] ?? 'INLINE').toBe('INLINE');
    const count = Math.floor(INLINE_MAP_TARGET_LIMIT / 2) + 1;
    const many = stateMachineStates({ fanOut: { enabled: true }, targets: { regions: ['eu-west-1', 'us-east-1'], source: 'accounts', accountIds: accounts(count), accountsInOrganization: true }, readerRole: { externalId: 'ext-id-1' } })['ScanTargets']!;
    expect(many['ItemProcessor']['ProcessorConfig']).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
  });

  test('RecordTargetFailure is retried before it could fail the Map', () => {
    for (const overrides of [ORG, { fanOut: { enabled: true } }]) {
      const map = stateMachineStates(overrides)['ScanTargets']!;
      const record = map['ItemProcessor']['States']['RecordTargetFailure'];
      expect(record['Retry']).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], MaxAttempts: 5 })]);
    }
  });
});
