/**
 * Function factory: the scanner stack asks it for its Lambda functions. The app uses the bundling
 * factory; CDK unit tests swap in the inline-code factory so they never run esbuild, while every
 * other property (role, log group, runtime, environment, DLQ) stays exactly as deployed.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { commonFunctionProps, ScannerFunction, type ScannerFunctionSpec } from './scanner-function';

export interface FunctionFactory {
  createFunction(scope: Construct, id: string, spec: ScannerFunctionSpec): lambda.Function;
}

/** Bundles lambdas/handlers/<name>.ts with the local esbuild (what `cdk synth` / `cdk deploy` use). */
export class BundlingFunctionFactory implements FunctionFactory {
  createFunction(scope: Construct, id: string, spec: ScannerFunctionSpec): lambda.Function {
    return new ScannerFunction(scope, id, spec);
  }
}

/** Tests only: same function properties, a one-line inline handler instead of a bundle. */
export class InlineCodeFunctionFactory implements FunctionFactory {
  readonly created: { id: string; spec: ScannerFunctionSpec }[] = [];

  createFunction(scope: Construct, id: string, spec: ScannerFunctionSpec): lambda.Function {
    this.created.push({ id, spec });
    return new lambda.Function(scope, id, {
      ...commonFunctionProps(spec),
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => { throw new Error('test double of ${spec.handlerName}'); };`),
    });
  }
}
