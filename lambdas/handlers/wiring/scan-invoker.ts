/** Starts a scan without waiting for it (POST /scans): an asynchronous Lambda invocation. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScanTrigger } from '../../core/model';

export interface ScanStartRequest {
  scanId: string;
  trigger: ScanTrigger;
  regions?: string[];
  accounts?: string[];
}

export interface ScanInvoker {
  start(request: ScanStartRequest): Promise<void>;
  /** True when a scan always covers the configured targets (the fan-out): regions / accounts are refused. */
  readonly scansConfiguredTargetsOnly?: boolean;
}

export class LambdaScanInvoker implements ScanInvoker {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(request: ScanStartRequest): Promise<void> {
    const output = await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(request), 'utf8') }),
    );
    if (output.StatusCode !== 202) throw new Error(`the scan function did not accept the invocation (status ${output.StatusCode ?? 'unknown'})`);
  }
}

/** With the SDK's default client (the api Lambda loads this on its first POST /scans: ./deferred-scan-invokers). */
export function defaultLambdaScanInvoker(functionName: string): LambdaScanInvoker {
  return new LambdaScanInvoker(new LambdaClient({}), functionName);
}
