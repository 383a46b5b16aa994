/** Builds the whole CDK app for tests with the inline-code function factory (no bundling). */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { parseAppConfig } from '../../lib/config/load-app-config';
import type { AppConfigInput } from '../../lib/config/app-config-schema';
import { InlineCodeFunctionFactory } from '../../lib/constructs/function-factory';
import { buildRedisComplianceApp, type RedisComplianceStacks } from '../../lib/redis-compliance-app';

export const TEST_ENV = { account: '111122223333', region: 'eu-west-1' };

export const BASE_CONFIG: AppConfigInput = {
  targets: { regions: ['eu-west-1'] },
  readerRole: { externalId: 'test-external-id' },
};

export interface BuiltApp {
  app: App;
  stacks: RedisComplianceStacks;
  factory: InlineCodeFunctionFactory;
}

export function buildTestApp(overrides: Partial<AppConfigInput> = {}): BuiltApp {
  const app = new App();
  const factory = new InlineCodeFunctionFactory();
  const config = parseAppConfig({ ...BASE_CONFIG, ...overrides }, 'test');
  const stacks = buildRedisComplianceApp(app, config, factory, TEST_ENV);
  return { app, stacks, factory };
}

export interface NagFinding {
  rule: string;
  severity: string;
  path: string;
  description: string;
}

/** Every unacknowledged AwsSolutions finding under the scope (errors and warnings). */
export function nagFindings(scope: IConstruct & { synth?: () => unknown }): NagFinding[] {
  // After synthesis cross-stack references are resolved, as in `cdk synth`.
  if (scope instanceof App) scope.synth();
  const report = new AwsSolutionsChecks(scope).validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: v.ruleName, severity: String(v.severity), path: (r as unknown as { constructPath: string }).constructPath, description: v.description })),
  );
}

export function template(stack: import('aws-cdk-lib').Stack): Template {
  return Template.fromStack(stack);
}
