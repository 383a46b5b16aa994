/** Turns a failed AWS call into the snapshot's `errors[]` entry. */
import type { CollectionError } from '../../core/snapshot/schema';
import { failedEndpoint } from './bounded-calls';

export type AwsService = 'ec2' | 'ssm' | 'sts' | 'cloudwatch' | 'inspector2';

export function toCollectionError(service: AwsService, operation: string, error: unknown): CollectionError {
  if (error instanceof Error) {
    const code = (error as { Code?: unknown; code?: unknown }).Code ?? (error as { code?: unknown }).code ?? error.name;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const message = error.message || String(code);
    const endpoint = failedEndpoint(error);
    return { service, operation, code: String(code || 'Error'), message: status ? `${message} (HTTP ${status})` : endpoint ? `${message} (no answer from ${endpoint})` : message };
  }
  return { service, operation, code: 'Error', message: String(error) };
}

/**
 * Runs one collection step; a failure is recorded in `errors` and yields undefined, so the capture
 * goes on with what it has.
 */
export async function attempt<T>(errors: CollectionError[], service: AwsService, operation: string, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    errors.push(toCollectionError(service, operation, error));
    return undefined;
  }
}
