/**
 * The one place the Lambda defaults live: a function for a handler file in lambdas/handlers,
 * bundled by the local esbuild package (never Docker) with ./handler-bundling (minified, source
 * maps, ESM output, AWS SDK v3 bundled in and tree-shaken), which the benchmark uses too.
 *
 * Not a NodejsFunction: that construct runs the esbuild binary, which takes no plugins, and the
 * plugin that lets esbuild drop unused AWS SDK schemas (./sdk-schema-keys-plugin) halves the scan
 * bundle. The asset is built the way NodejsFunction builds its own: local bundling of the project
 * root, hashed by its output.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { AssetHashType, DockerImage, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const HANDLERS_DIR = path.join(PROJECT_ROOT, 'lambdas', 'handlers');

export const HANDLER_NAMES = ['scan', 'report', 'api', 'fanout-list-targets', 'fanout-scan-target', 'fanout-merge'] as const;
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

const BUNDLE_COMMAND = path.join(PROJECT_ROOT, 'lib', 'constructs', 'bundle-handler-command.ts');

/** Local bundling only: `cdk synth` must never fall back to Docker. */
function localHandlerBundling(entry: string): lambda.AssetCode {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('local-bundling-only'),
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ['--import', 'tsx', BUNDLE_COMMAND, entry, outputDir], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
          if (run.status !== 0) throw new Error(`bundling ${path.relative(PROJECT_ROOT, entry)} failed: ${run.error?.message ?? run.stderr.trim()}`);
          return true;
        },
      },
    },
  });
}

/** A handler bundled with the local esbuild: arm64, Node.js 22, minified, source maps, SDK bundled. */
export class ScannerFunction extends lambda.Function {
  constructor(scope: Construct, id: string, spec: ScannerFunctionSpec) {
    super(scope, id, {
      ...commonFunctionProps(spec),
      handler: 'index.handler',
      code: localHandlerBundling(path.join(HANDLERS_DIR, `${spec.handlerName}.ts`)),
    });
    // Stack traces point at the TypeScript sources through the bundled source maps.
    this.addEnvironment('NODE_OPTIONS', '--enable-source-maps');
  }
}
