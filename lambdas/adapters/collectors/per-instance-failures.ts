/**
 * Failures of a per-instance call, gathered into ONE `errors[]` entry per operation for the target:
 * how many instances failed, and the first failure's code and message. A capture of 10,000 instances
 * with a broken permission therefore records one error, not 10,000.
 */
import type { CollectionError } from '../../core/snapshot/schema';
import { toCollectionError, type AwsService } from './collection-error';

export interface PerInstanceFailuresState {
  first?: { instanceId: string; detail: string; error: CollectionError };
  failed: string[];
  skipped: string[];
}

export class PerInstanceFailures {
  private first: { instanceId: string; detail: string; error: CollectionError } | undefined;
  private readonly failed = new Set<string>();
  private readonly skipped = new Set<string>();

  constructor(
    private readonly service: AwsService,
    private readonly operation: string,
  ) {}

  record(instanceId: string, detail: string, error: unknown): void {
    this.failed.add(instanceId);
    this.first ??= { instanceId, detail, error: toCollectionError(this.service, this.operation, error) };
  }

  /** An instance not asked because an earlier call was denied (asking would only fail again). */
  skip(instanceId: string): void {
    if (!this.failed.has(instanceId)) this.skipped.add(instanceId);
  }

  /** What has been recorded, as JSON (carried in a capture's continuation). */
  toState(): PerInstanceFailuresState {
    return { ...(this.first ? { first: this.first } : {}), failed: [...this.failed], skipped: [...this.skipped] };
  }

  /** Continues from a state toState() gave. */
  restore(state: PerInstanceFailuresState): this {
    if (state.first) this.first ??= state.first;
    for (const id of state.failed) this.failed.add(id);
    for (const id of state.skipped) this.skipped.add(id);
    return this;
  }

  /** The single entry for `errors[]`, or nothing when every call succeeded. */
  toError(asked: number): CollectionError | undefined {
    if (!this.first) return undefined;
    const failed = this.failed.size;
    const skipped = [...this.skipped].filter((id) => !this.failed.has(id)).length;
    const { instanceId, detail, error } = this.first;
    const scope = `failed for ${failed} of ${asked} instance${asked === 1 ? '' : 's'}${skipped ? ` (${skipped} more not asked after access was denied)` : ''}`;
    return { ...error, message: `${error.message} [${this.operation} ${scope}; first: ${instanceId} ${detail}]` };
  }
}
