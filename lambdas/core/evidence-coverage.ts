/**
 * What a scan had to judge, per target: how many instances carried the role tag, and the role-like
 * tags that were seen. A run that found nothing to judge (a typo in the role tag, a region with no
 * Redis server, a target whose reads failed) must not read as compliant; this is what says so. Pure.
 */
import type { TagConventions } from './config';
import type { SnapshotTarget } from './snapshot/schema';

export interface TargetCoverage {
  accountId: string;
  region: string;
  /** Failed reads recorded for the target (the scan is PARTIAL when any target has one). */
  errors: number;
  /** Instances whose role tag names a Redis server (any state). */
  redisInstances: number;
  /** Instances whose role tag names a front-end (any state). */
  frontendInstances: number;
}

/** Tags worth showing when no Redis server matched: a key that looks like a role key, or a value that is a role value in another spelling. */
function roleLike(key: string, value: string, tags: TagConventions): boolean {
  const k = key.trim().toLowerCase();
  const v = value.trim().toLowerCase();
  if (k === 'name') return false;
  return k.includes('role') || k === tags.roleKey.trim().toLowerCase() || v === 'redis' || v === tags.redisRole.trim().toLowerCase() || v === tags.frontendRole.trim().toLowerCase();
}

/** Accumulates the coverage of targets as they are evaluated (one target's records at a time). */
export class EvidenceCoverage {
  readonly targets: TargetCoverage[] = [];
  /** `Key=Value` of role-like tags seen on instances, with how many instances carry each. */
  private readonly roleLikeTags = new Map<string, number>();

  constructor(private readonly tags: TagConventions) {}

  add(target: SnapshotTarget): void {
    let redisInstances = 0;
    let frontendInstances = 0;
    const seen = new Set<string>();
    for (const reservation of target.ec2.Reservations) {
      for (const instance of reservation.Instances ?? []) {
        if (seen.has(instance.InstanceId)) continue;
        seen.add(instance.InstanceId);
        let role: string | undefined;
        for (const tag of instance.Tags ?? []) {
          const key = tag.Key ?? '';
          const value = tag.Value ?? '';
          if (key === this.tags.roleKey && role === undefined) role = value;
          if (roleLike(key, value, this.tags)) {
            const shown = `${key}=${value}`;
            this.roleLikeTags.set(shown, (this.roleLikeTags.get(shown) ?? 0) + 1);
          }
        }
        if (role === this.tags.redisRole) redisInstances++;
        else if (role === this.tags.frontendRole) frontendInstances++;
      }
    }
    this.targets.push({ accountId: target.accountId, region: target.region, errors: target.errors.length, redisInstances, frontendInstances });
  }

  /** Targets read without error in which no instance carried the role tag at all. */
  emptyTargets(): TargetCoverage[] {
    return this.targets.filter((t) => t.errors === 0 && t.redisInstances === 0 && t.frontendInstances === 0);
  }

  redisInstances(): number {
    return this.targets.reduce((sum, t) => sum + t.redisInstances, 0);
  }

  /** The role-like tags seen, most frequent first (at most `limit`). */
  roleLikeTagsSeen(limit = 10): Array<{ tag: string; instances: number }> {
    return [...this.roleLikeTags.entries()]
      .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([tag, instances]) => ({ tag, instances }));
  }
}
