/**
 * Starts a scan through the Step Functions fan-out (POST /scans when `fanOut.enabled`): one
 * execution named after the scan id, whose input carries the scan id, so the execution stores its
 * scan under the id the API returned (lambdas/handlers/fanout-list-targets.ts reads it).
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ScanInvoker, ScanStartRequest } from './scan-invoker';

export class ScanAlreadyStartedError extends Error {
  override name = 'ScanAlreadyStartedError';
}

export class StateMachineScanInvoker implements ScanInvoker {
  /** The fan-out scans every configured account and region: a request cannot narrow it. */
  readonly scansConfiguredTargetsOnly = true;

  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(request: ScanStartRequest): Promise<void> {
    if (request.regions || request.accounts) throw new Error('the fan-out scans the configured targets; regions and accounts cannot be chosen per scan');
    try {
      // Execution names: 1-80 characters of letters, digits, - and _ (scan ids from newScanId are).
      await this.client.send(new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: request.scanId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80),
        input: JSON.stringify({ trigger: request.trigger, scanId: request.scanId }),
      }));
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) throw new ScanAlreadyStartedError(`an execution for scan ${request.scanId} already exists`);
      throw error;
    }
  }
}

/** With the SDK's default client (the api Lambda loads this on its first POST /scans: ./deferred-scan-invokers). */
export function defaultStateMachineScanInvoker(stateMachineArn: string): StateMachineScanInvoker {
  return new StateMachineScanInvoker(new SFNClient({}), stateMachineArn);
}
