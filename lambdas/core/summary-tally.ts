/**
 * The scan summary counted as findings pass, without keeping them: the same ScanSummary that
 * `summarise` makes from the sorted list, key order of `byRule` included. Pure.
 */
import { zeroFindingCounts, zeroSeverityCounts } from './finding-counts';
import type { Finding, FindingStatus, ScanSummary } from './model';
import { compareFindings } from './sort-findings';

type Counted = Pick<Finding, 'ruleId' | 'severity' | 'accountId' | 'region' | 'resourceId'> & { status: FindingStatus };

interface RuleTally {
  counts: Record<FindingStatus, number>;
  /** The rule's first finding in compareFindings order: where `summarise` meets the rule first. */
  first: Counted;
}

export class SummaryTally {
  private total = 0;
  private readonly byStatus = zeroFindingCounts();
  private readonly failBySeverity = zeroSeverityCounts();
  private readonly byRule = new Map<string, RuleTally>();

  add(finding: Counted): void {
    this.total++;
    this.byStatus[finding.status]++;
    if (finding.status === 'FAIL') this.failBySeverity[finding.severity]++;
    const rule = this.byRule.get(finding.ruleId);
    if (rule === undefined) {
      const counts = zeroFindingCounts();
      counts[finding.status]++;
      this.byRule.set(finding.ruleId, { counts, first: finding });
      return;
    }
    rule.counts[finding.status]++;
    if (compareFindings(finding, rule.first) < 0) rule.first = finding;
  }

  /** What `summarise` returns for every finding added so far. */
  summary(extra: Pick<ScanSummary, 'redisServers' | 'frontends' | 'clusters' | 'notEvaluated' | 'apiCalls'>): ScanSummary {
    // summarise adds each rule's key when it meets the rule's first finding of the sorted list.
    const rules = [...this.byRule].sort(([, a], [, b]) => compareFindings(a.first, b.first));
    const byRule: Record<string, Record<FindingStatus, number>> = {};
    for (const [ruleId, { counts }] of rules) byRule[ruleId] = counts;
    return { total: this.total, byStatus: { ...this.byStatus }, failBySeverity: { ...this.failBySeverity }, byRule, ...extra };
  }
}
