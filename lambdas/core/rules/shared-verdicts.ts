/**
 * Verdicts shared by the servers that share the facts they depend on. Many per-server verdicts
 * depend only on a few facts (the instance type, the production flag, a version string) and not
 * on which server it is, except where a sentence names the server. A rule keys its verdicts by
 * those facts; the first server of a key makes the verdict and the others reuse the same object
 * (and so the same strings, of which a million findings would otherwise each hold a copy).
 *
 * Valid while the key covers every input of the verdict other than the server's identity, and the
 * verdict uses that identity only by naming the instance id: a verdict that names its server is
 * never shared. Create one per `evaluate()` call, so nothing outlives the evaluation.
 */
import type { Server } from '../estate/estate';
import type { Verdict } from './rule';

export class SharedVerdicts {
  /** null: this key's verdicts name their server, so each server gets its own. */
  private readonly byKey = new Map<string, Verdict | null>();

  /** `enabled` false: every server is judged on its own (EstateTarget.shareVerdicts). */
  constructor(private readonly enabled = true) {}

  /** The verdict of `server`, whose verdict depends on `key` and its own id only: shared when one was made, else made by `makeVerdict`. */
  get(server: Server, key: string, makeVerdict: () => Verdict): Verdict {
    if (!this.enabled) return makeVerdict();
    const shared = this.byKey.get(key);
    if (shared) return shared;
    const verdict = makeVerdict();
    // A verdict of this key that names its server names it for every server of the key: stop asking.
    if (shared === undefined) this.byKey.set(key, namesServer(verdict, server.instanceId) ? null : verdict);
    return verdict;
  }
}

function namesServer(verdict: Verdict, instanceId: string): boolean {
  return verdict.observed.includes(instanceId) || verdict.required.includes(instanceId) || verdict.remediation.includes(instanceId);
}
