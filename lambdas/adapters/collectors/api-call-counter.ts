/**
 * Counts the requests an SDK client sends, by `service:Operation`.
 *
 * The middleware sits in the finalizeRequest step right after the retry middleware, so it runs once
 * per attempt: a call retried twice after throttling counts 3. That is what AWS throttles and bills,
 * so the counts in `targets[].apiCalls` are requests actually sent, retries included.
 */
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable, RelativeMiddlewareOptions } from '@smithy/types';

export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The counts so far, keys sorted, as the snapshot stores them. */
  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }
}

export const API_CALL_COUNTER_MIDDLEWARE = 'redisComplianceApiCallCounter';

/** Relative middleware takes the step of the one it follows (finalizeRequest). */
const placement: RelativeMiddlewareOptions = {
  name: API_CALL_COUNTER_MIDDLEWARE,
  relation: 'after',
  toMiddleware: 'retryMiddleware',
  override: true,
};

function operationName(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

/** A plugin (`client.middlewareStack.use(...)`) that records every attempt of every command. */
export function apiCallCounterPlugin(counter: ApiCallCounter, service: string): Pluggable<any, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<any, MetadataBearer> = (next, context) => async (args) => {
    counter.record(service, operationName(context.commandName));
    return next(args);
  };
  return {
    applyToStack(stack) {
      stack.addRelativeTo(middleware, placement);
    },
  };
}
