/**
 * Builds every stack of the app from the validated configuration. bin/app.ts calls it with the
 * bundling function factory; the CDK tests call it with the inline-code factory.
 *
 * Stacks are grouped by the account they deploy to, so no single command puts a stack where it
 * cannot work (docs/deploy.md):
 *   - top level: the scanner account (Data, Scanner, RedisInventory-<region>): `cdk deploy --all`
 *     selects exactly these, because `--all` selects the top-level assembly only and never stacks
 *     inside a Stage (aws/aws-cdk #15046; maintainers in aws/aws-cdk-cli #985: use `'**'` for all);
 *   - Stage `Member`: what each member account deploys with its own credentials, needing no CDK
 *     bootstrap there: LegacyStackSynthesizer deploys with the CLI's credentials, adds no
 *     BootstrapVersion parameter or rule and needs no asset bucket when the stack has no assets
 *     (BootstraplessSynthesizer would not do: its stacks still name the bootstrap deploy role,
 *     "it does still require bootstrapping, it just does not support assets", aws-cdk-lib
 *     core/lib/stack-synthesizers/bootstrapless-synthesizer.ts): `cdk deploy 'Member/*'`;
 *   - Stage `Organization`: the StackSets, pinned to the management / delegated-admin account:
 *     `cdk deploy 'Organization/*'`.
 */
import { LegacyStackSynthesizer, Stage, Tags, type App, type Environment } from 'aws-cdk-lib';
import { INDEX } from '../lambdas/adapters/store/table-design';
import type { AppConfig } from './config/app-config-schema';
import type { FunctionFactory } from './constructs/function-factory';
import { DataStack } from './stacks/data-stack';
import { MemberStackSetsStack } from './stacks/member-stack-sets-stack';
import { ReaderRoleStack } from './stacks/reader-role-stack';
import { RedisInventoryStack } from './stacks/redis-inventory-stack';
import { ScannerStack } from './stacks/scanner-stack';

export interface RedisComplianceStacks {
  data: DataStack;
  scanner: ScannerStack;
  /** Stage `Member` (bootstrapless): the reader role of a member account. */
  readerRole?: ReaderRoleStack;
  inventory: RedisInventoryStack[];
  /** Stage `Member` (bootstrapless): the inventory association of a member account, per region. */
  memberInventory: RedisInventoryStack[];
  /** Stage `Organization`: the StackSets. */
  memberStackSets?: MemberStackSetsStack;
}

export const MEMBER_STAGE = 'Member';
export const ORGANIZATION_STAGE = 'Organization';

export function buildRedisComplianceApp(app: App, config: AppConfig, functionFactory: FunctionFactory, env: Environment = {}): RedisComplianceStacks {
  const prefix = config.stackPrefix;
  for (const [key, value] of Object.entries(config.resourceTags)) Tags.of(app).add(key, value);

  const tableName = `${prefix}-findings`;
  const data = new DataStack(app, `${prefix}-Data`, { env, tableName, description: 'redis-compliance: findings table, Slack webhook secret, data key (stateful)' });
  const scanner = new ScannerStack(app, `${prefix}-Scanner`, {
    env,
    description: 'redis-compliance: scanner Lambdas, schedule, API, fan-out, alarms (stateless)',
    config,
    tableName,
    tableIndexNames: Object.values(INDEX),
    dataKey: data.key,
    slackWebhookSecret: data.slackWebhookSecret,
    functionFactory,
  });

  const inventoryProps = {
    tagKey: config.scan.tags.roleKey,
    tagValue: config.scan.tags.redisRole,
    frontendTagValue: config.scan.tags.frontendRole,
    ports: config.scan.redisPorts,
    schedule: config.inventory.schedule,
  };
  const inventory = config.inventory.deployInScannerAccount
    ? config.targets.regions.map((region) => new RedisInventoryStack(app, `${prefix}-RedisInventory-${region}`, {
        env: { ...(env.account ? { account: env.account } : {}), region },
        description: `redis-compliance: Custom:RedisServer inventory association (${region})`,
        ...inventoryProps,
      }))
    : [];

  const stacks: RedisComplianceStacks = { data, scanner, inventory, memberInventory: [] };
  const scannerAccountId = config.readerRole.scannerAccountId;
  // With Security Hub import and a member import role named, each member account also gets that role.
  const securityHubImport = config.securityHub.enabled && config.securityHub.memberRoleName
    ? { securityHubImport: { roleName: config.securityHub.memberRoleName, regions: config.targets.regions } }
    : {};
  if (scannerAccountId) {
    // Deploy with credentials of a member account: `cdk deploy 'Member/*'`; no bootstrap needed there
    // (LegacyStackSynthesizer, see above; test/infra/deployment-targets.test.ts checks for no assets).
    const member = new Stage(app, MEMBER_STAGE);
    // Aspects (tags among them) stop at a Stage boundary: tag each stage itself.
    for (const [key, value] of Object.entries(config.resourceTags)) Tags.of(member).add(key, value);
    // Member stack names carry `Member-`: deployed into the scanner account too (when it is scanned
    // through its reader role), they never take the name of a scanner-account stack.
    stacks.readerRole = new ReaderRoleStack(member, `${prefix}-Member-ReaderRole`, {
      stackName: `${prefix}-Member-ReaderRole`,
      synthesizer: new LegacyStackSynthesizer(),
      description: 'redis-compliance: read-only reader role (member account)',
      roleName: config.readerRole.name,
      externalId: config.readerRole.externalId,
      scannerAccountId,
      ...securityHubImport,
    });
    stacks.memberInventory = config.targets.regions.map((region) => new RedisInventoryStack(member, `${prefix}-Member-RedisInventory-${region}`, {
      stackName: `${prefix}-Member-RedisInventory-${region}`,
      env: { region },
      synthesizer: new LegacyStackSynthesizer(),
      description: `redis-compliance: Custom:RedisServer inventory association (${region}, member account)`,
      ...inventoryProps,
    }));
    if (config.readerRole.stackSetOrganizationalUnitIds.length > 0) {
      const stackSetAccount = config.readerRole.stackSetAccountId ?? scannerAccountId;
      const organization = new Stage(app, ORGANIZATION_STAGE, { env: { account: stackSetAccount, ...(env.region ? { region: env.region } : {}) } });
      for (const [key, value] of Object.entries(config.resourceTags)) Tags.of(organization).add(key, value);
      stacks.memberStackSets = new MemberStackSetsStack(organization, `${prefix}-MemberStackSets`, {
        stackName: `${prefix}-MemberStackSets`,
        callAs: config.readerRole.stackSetCallAs,
        memberTags: config.resourceTags,
        description: 'redis-compliance: StackSets for member accounts (reader role, Redis inventory)',
        organizationalUnitIds: config.readerRole.stackSetOrganizationalUnitIds,
        regions: config.targets.regions,
        roleName: config.readerRole.name,
        externalId: config.readerRole.externalId,
        scannerAccountId,
        inventory: inventoryProps,
        namePrefix: prefix,
        ...securityHubImport,
      });
    }
  }
  return stacks;
}
