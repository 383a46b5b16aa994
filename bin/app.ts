/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all` (cdk.json runs `npx tsx bin/app.ts`).
 * Configuration: context `redisCompliance` in cdk.json (or `-c redisComplianceConfigFile=path.json`),
 * validated before anything is built. cdk-nag's AwsSolutions pack runs on every synth: an
 * unacknowledged finding stops it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppConfigError, loadAppConfig } from '../lib/config/load-app-config';
import { BundlingFunctionFactory } from '../lib/constructs/function-factory';
import { buildRedisComplianceApp } from '../lib/redis-compliance-app';

const app = new App();
try {
  const config = loadAppConfig(app.node);
  // The scanner stacks are pinned to the scanner account when the configuration names it: deploying
  // them with another account's credentials stops before any change instead of half-deploying.
  const account = config.readerRole.scannerAccountId ?? process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  buildRedisComplianceApp(app, config, new BundlingFunctionFactory(), { ...(account ? { account } : {}), ...(region ? { region } : {}) });
} catch (error) {
  if (error instanceof AppConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
