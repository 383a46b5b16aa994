/**
 * Builds every stack of the app from the validated configuration. bin/app.ts calls it with the
 * bundling function factory; the CDK tests call it with the inline-code factory.
 */
import { Tags, type App, type Environment } from 'aws-cdk-lib';
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
  readerRole?: ReaderRoleStack;
  inventory: RedisInventoryStack[];
  memberStackSets?: MemberStackSetsStack;
}

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

  const stacks: RedisComplianceStacks = { data, scanner, inventory };
  const scannerAccountId = config.readerRole.scannerAccountId;
  if (scannerAccountId) {
    // Deploy with credentials of a member account: `cdk deploy <prefix>-ReaderRole`.
    stacks.readerRole = new ReaderRoleStack(app, `${prefix}-ReaderRole`, {
      description: 'redis-compliance: read-only reader role (member account)',
      roleName: config.readerRole.name,
      externalId: config.readerRole.externalId,
      scannerAccountId,
    });
    if (config.readerRole.stackSetOrganizationalUnitIds.length > 0) {
      stacks.memberStackSets = new MemberStackSetsStack(app, `${prefix}-MemberStackSets`, {
        env,
        description: 'redis-compliance: StackSets for member accounts (reader role, Redis inventory)',
        organizationalUnitIds: config.readerRole.stackSetOrganizationalUnitIds,
        regions: config.targets.regions,
        roleName: config.readerRole.name,
        externalId: config.readerRole.externalId,
        scannerAccountId,
        inventory: inventoryProps,
        namePrefix: prefix,
      });
    }
  }
  return stacks;
}
