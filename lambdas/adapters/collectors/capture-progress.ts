/**
 * What a capture has done so far, for a progress line: targets done of the total, instances read,
 * requests sent (every attempt) and attempts the service throttled. The clients' middleware counts
 * the requests; the capture counts targets and instances. Listeners hear of every change.
 */
import { isThrottlingError } from '@smithy/core/retry';
import type { FinalizeRequestMiddleware, MetadataBearer, Pluggable } from '@smithy/types';

export interface CaptureProgressState {
  targetsTotal: number;
  targetsDone: number;
  instances: number;
  calls: number;
  throttled: number;
}

export class CaptureProgress {
  private readonly state: CaptureProgressState = { targetsTotal: 0, targetsDone: 0, instances: 0, calls: 0, throttled: 0 };
  private readonly listeners: Array<(state: Readonly<CaptureProgressState>) => void> = [];

  onChange(listener: (state: Readonly<CaptureProgressState>) => void): void {
    this.listeners.push(listener);
  }

  snapshot(): Readonly<CaptureProgressState> {
    return { ...this.state };
  }

  targetsPlanned(total: number): void {
    this.state.targetsTotal = total;
    this.changed();
  }

  targetDone(): void {
    this.state.targetsDone++;
    this.changed();
  }

  instancesRead(count: number): void {
    this.state.instances += count;
    this.changed();
  }

  callSent(): void {
    this.state.calls++;
    this.changed();
  }

  callThrottled(): void {
    this.state.throttled++;
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener(this.state);
  }
}

/** A plugin counting every attempt a client sends, and those the service throttled. */
export function captureProgressPlugin(progress: CaptureProgress): Pluggable<any, MetadataBearer> {
  const middleware: FinalizeRequestMiddleware<any, MetadataBearer> = (next) => async (args) => {
    progress.callSent();
    try {
      return await next(args);
    } catch (error) {
      if (isThrottlingError(error as Parameters<typeof isThrottlingError>[0])) progress.callThrottled();
      throw error;
    }
  };
  return {
    applyToStack(stack) {
      stack.addRelativeTo(middleware, { name: 'redisComplianceCaptureProgress', relation: 'after', toMiddleware: 'retryMiddleware', override: true });
    },
  };
}
