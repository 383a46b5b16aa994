/**
 * The one place the Lambda defaults live: a NodejsFunction for a handler file in lambdas/handlers,
 * bundled by the local esbuild package (never Docker) with the options of ./handler-bundling
 * (minified, source maps, ESM output, AWS SDK v3 bundled in and tree-shaken), then re-bundled with
 * the SDK schema-keys plugin by its afterBundling hook (./schema-keys-bundle), which the benchmark uses too.
 */
import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { HANDLER_BUNDLING } from './handler-bundling';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const HANDLERS_DIR = path.join(PROJECT_ROOT, 'lambdas', 'handlers');

export const HANDLER_NAMES = ['scan', 'report', 'api', 'fanout-list-targets', 'fanout-scan-target', 'fanout-merge', 'scan-failed'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Node.js 22 is the newest runtime the code is tested against (see the L1 acknowledgement). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const FUNCTION_ARCHITECTURE = lambda.Architecture.ARM_64;

/** What differs between the scanner's functions; everything else is a default set here. */
export interface ScannerFunctionSpec {
  /** File lambdas/handlers/<handlerName>.ts, exporting `handler`. */
  readonly handlerName: HandlerName;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** The function's own role (no managed policies; the caller grants exactly what it needs). */
  readonly role: iam.IRole;
  /** Log group with retention; the caller has granted the role write access to it. */
  readonly logGroup: logs.ILogGroup;
  /** Asynchronous invocations that still fail after the retries land here. */
  readonly deadLetterQueue?: sqs.IQueue;
  readonly serviceName: string;
  readonly logLevel: string;
}

/** Props shared by the bundled function and the test double (everything but the code). */
export function commonFunctionProps(spec: ScannerFunctionSpec): lambda.FunctionOptions & { runtime: lambda.Runtime } {
  return {
    description: spec.description,
    runtime: FUNCTION_RUNTIME,
    architecture: FUNCTION_ARCHITECTURE,
    timeout: spec.timeout,
    memorySize: spec.memorySize,
    role: spec.role,
    logGroup: spec.logGroup,
    environment: {
      POWERTOOLS_SERVICE_NAME: spec.serviceName,
      POWERTOOLS_LOG_LEVEL: spec.logLevel,
      ...spec.environment,
    },
    ...(spec.deadLetterQueue ? { deadLetterQueue: spec.deadLetterQueue, retryAttempts: 2, maxEventAge: Duration.hours(1) } : {}),
  };
}

/** A handler bundled with the local esbuild: arm64, Node.js 22, minified, source maps, SDK bundled. */
const REBUNDLE_COMMAND = path.join(PROJECT_ROOT, 'lib', 'constructs', 'rebundle-handler-command.ts');

export class ScannerFunction extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, spec: ScannerFunctionSpec) {
    const entry = path.join(HANDLERS_DIR, `${spec.handlerName}.ts`);
    super(scope, id, {
      ...commonFunctionProps(spec),
      entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      awsSdkConnectionReuse: false,
      bundling: {
        forceDockerBundling: false,
        minify: HANDLER_BUNDLING.minify,
        sourceMap: HANDLER_BUNDLING.sourceMap,
        sourcesContent: HANDLER_BUNDLING.sourcesContent,
        target: HANDLER_BUNDLING.target,
        format: HANDLER_BUNDLING.format as nodejs.OutputFormat,
        mainFields: [...HANDLER_BUNDLING.mainFields],
        banner: HANDLER_BUNDLING.banner,
        externalModules: [...HANDLER_BUNDLING.externalModules],
        bundleAwsSDK: true,
        // NodejsFunction's esbuild binary takes no plugins and writes one --outfile: re-bundle with esbuild's
        // JavaScript API, the SDK schema-keys plugin and code splitting, over its output (index.mjs, its map
        // and chunks/ in the asset directory; ./schema-keys-bundle; bench figures 7-8 measure this).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            `"${process.execPath}" --import tsx "${REBUNDLE_COMMAND}" "${entry}" "${path.join(outputDir, 'index.mjs')}"`,
          ],
        },
      },
    });
    // Stack traces point at the TypeScript sources through the bundled source maps.
    this.addEnvironment('NODE_OPTIONS', '--enable-source-maps');
  }
}
