/**
 * The api Lambda's scan invokers, each loading its SDK client on the first POST /scans: only one of
 * them is configured (STATE_MACHINE_ARN or SCAN_FUNCTION_NAME) and only that route starts scans, so
 * the cold start parses neither the Lambda nor the Step Functions client (each a chunk of the bundle,
 * loaded by `import()`). They behave as LambdaScanInvoker / StateMachineScanInvoker with a default client.
 * The chunk is the invoker's module, which imports its one SDK command statically: `import()` of the
 * SDK package itself would keep every command of the client (a namespace cannot be tree-shaken).
 */
import type { ScanInvoker, ScanStartRequest } from './scan-invoker';

function deferred(load: () => Promise<ScanInvoker>, scansConfiguredTargetsOnly: boolean): ScanInvoker {
  let invoker: Promise<ScanInvoker> | undefined;
  return {
    ...(scansConfiguredTargetsOnly ? { scansConfiguredTargetsOnly } : {}),
    async start(request: ScanStartRequest) {
      invoker ??= load();
      return (await invoker).start(request);
    },
  };
}

/** A LambdaScanInvoker (asynchronous invocation of the scan Lambda) with a default LambdaClient. */
export function deferredLambdaScanInvoker(functionName: string): ScanInvoker {
  return deferred(async () => (await import('./scan-invoker.js')).defaultLambdaScanInvoker(functionName), false);
}

/** A StateMachineScanInvoker (one execution of the fan-out per scan) with a default SFNClient. */
export function deferredStateMachineScanInvoker(stateMachineArn: string): ScanInvoker {
  return deferred(async () => (await import('./state-machine-scan-invoker.js')).defaultStateMachineScanInvoker(stateMachineArn), true);
}
