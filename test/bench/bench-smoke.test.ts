/**
 * Smoke test of the benchmark's parts at their smallest sizes: the synthetic estate generator, its
 * evaluation, and the issue's lower bound. Structure only: no timing is asserted (speed is what
 * `npm run bench` reports).
 */
import { evaluateSnapshot } from '../../lambdas/core/evaluate';
import { validateSnapshot } from '../../lambdas/core/snapshot/parse-snapshot';
import { issueLowerBound } from '../../bench/issue-lower-bound';
import { measureCapture } from '../../bench/figures/api-calls';
import { fileEvaluationMemoryRows, measureFileEvaluation } from '../../bench/figures/evaluation';
import { parseArguments } from '../../bench/run';
import { storeLowerBound, wholeScanFigure } from '../../bench/figures/whole-scan';
import { markdownTable } from '../../bench/table';
import { FRONTEND_SHARE, syntheticEstate, syntheticSnapshot } from '../../bench/synthetic-estate';
import { INSTANCE_TYPES } from '../../test/support/instance-types';

const NOW = () => new Date('2026-11-25T02:05:00.000Z');

describe('synthetic estate', () => {
  it('holds N Redis servers and 2% as many front-ends, in valid snapshot shapes', () => {
    const estate = syntheticEstate(200);
    const tagged = (role: string) => estate.target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.Tags?.some((t) => t.Key === 'Role' && t.Value === role));
    expect(tagged('redis')).toHaveLength(200);
    expect(tagged('outsystems-frontend').length).toBeGreaterThanOrEqual(Math.round(200 * FRONTEND_SHARE));
    expect(estate.instances).toBe(200 + estate.frontends);
    expect(() => validateSnapshot(syntheticSnapshot(200), 'synthetic')).not.toThrow();
  });

  it('uses only real instance types, with their facts', () => {
    const { target } = syntheticEstate(300);
    for (const type of target.ec2.InstanceTypes) expect(type).toEqual((INSTANCE_TYPES as Record<string, unknown>)[type.InstanceType]);
    const used = new Set(target.ec2.Reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceType));
    expect([...used].sort()).toEqual(target.ec2.InstanceTypes.map((t) => t.InstanceType).sort());
  });

  it('has security groups that reference groups, custom network ACLs and route tables for every subnet', () => {
    const { target } = syntheticEstate(100);
    const references = target.ec2.SecurityGroups.flatMap((g) => (g.IpPermissions ?? []).flatMap((p) => p.UserIdGroupPairs ?? []));
    expect(references.length).toBeGreaterThan(0);
    const groupIds = new Set(target.ec2.SecurityGroups.map((g) => g.GroupId));
    for (const pair of references) expect(groupIds.has(pair.GroupId!)).toBe(true);
    expect(target.ec2.NetworkAcls.some((a) => !a.IsDefault && (a.Entries ?? []).some((e) => e.PortRange?.From === 7000))).toBe(true);
    const associated = new Set(target.ec2.NetworkAcls.flatMap((a) => (a.Associations ?? []).map((x) => x.SubnetId)));
    for (const subnet of target.ec2.Subnets) expect(associated.has(subnet.SubnetId)).toBe(true);
    expect(target.ec2.RouteTables.filter((t) => t.Associations?.some((a) => a.Main))).toHaveLength(new Set(target.ec2.Subnets.map((s) => s.VpcId)).size);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(syntheticSnapshot(60))).toBe(JSON.stringify(syntheticSnapshot(60)));
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => syntheticEstate(0)).toThrow(RangeError);
  });
});

describe('evaluation of the synthetic estate', () => {
  it('gives one finding per server and rule, with every status the drift is meant to show', () => {
    const result = evaluateSnapshot(syntheticSnapshot(300), { now: NOW });
    expect(result.summary.redisServers).toBe(300);
    expect(result.summary.frontends).toBeGreaterThan(0);
    const reachability = result.findings.filter((f) => f.ruleId === 'network.frontend-reachability');
    expect(reachability).toHaveLength(300);
    const statuses = new Set(result.findings.map((f) => f.status));
    expect(statuses).toEqual(new Set(['PASS', 'FAIL', 'UNKNOWN', 'NOT_APPLICABLE']));
    for (const finding of result.findings) {
      expect(finding.observed).not.toBe('');
      expect(finding.requirement).not.toBe('');
    }
  });
});

describe('the capture\'s lower bound', () => {
  it('counts one page per kind, a call per 50 instances for DescribeInstanceInformation, and one inventory call per managed instance and type needed', () => {
    const { target, instances } = syntheticEstate(120);
    const bound = issueLowerBound(target);
    expect(bound.byOperation['ssm:DescribeInstanceInformation']).toBe(Math.ceil(instances / 50));
    expect(bound.byOperation['ssm:GetInventory']).toBeUndefined();
    // Managed Redis servers: Custom:RedisServer each, Custom:RedisClusterNode where a process is
    // cluster-enabled, plus their packages where no running version is reported; managed front-ends:
    // their applications. Every front-end here is managed.
    const managed = new Set(target.ssm.InstanceInformationList.map((i) => i.InstanceId));
    const data = new Map(target.ssm.Entities.map((e) => [e.Id, e.Data ?? {}]));
    const redis = target.ec2.Reservations.flatMap((r) => r.Instances ?? []).filter((i) => managed.has(i.InstanceId) && i.Tags?.some((t) => t.Key === 'Role' && t.Value === 'redis'));
    const withoutVersion = redis.filter((i) => !data.get(i.InstanceId)?.['Custom:RedisServer']);
    const clustered = redis.filter((i) => (data.get(i.InstanceId)?.['Custom:RedisServer']?.Content ?? []).some((row) => row['cluster_enabled'] === '1' || row['redis_mode'] === 'cluster'));
    expect(bound.byOperation['ssm:ListInventoryEntries']).toBe(redis.length + clustered.length + withoutVersion.length + (instances - 120));
    expect(bound.batchedInventoryCalls).toBe(2 * Math.ceil(instances / 50));
    expect(bound.byOperation['ec2:DescribeInstances']).toBe(1);
    // The Redis route tables' S3 gateway-endpoint route names one AWS-managed prefix list, whose entries the estate carries.
    expect(target.managedPrefixLists?.map((l) => l.PrefixListId)).toEqual(['pl-6da54004']);
    expect(bound.byOperation['ec2:GetManagedPrefixListEntries']).toBe(1);
    expect(bound.total).toBe(Object.values(bound.byOperation).reduce((s, n) => s + n, 0));
  });
});

describe('figure 1 against the synthetic estate', () => {
  it('captures it without a capture error (every list a route names is readable) and counts every call in the lower bound', async () => {
    const m = await measureCapture(30);
    const over = Object.entries(m.calls).filter(([operation, n]) => n > (m.lowerBound.byOperation[operation] ?? 0));
    expect(over).toEqual([]);
    expect(m.total).toBe(m.lowerBound.total);
  });
});

describe('bench command line and table', () => {
  it('accepts --smoke and --only by number or name', () => {
    expect(parseArguments(['--smoke', '--only', '3,cold-init'])).toEqual({ smoke: true, only: new Set(['3', '8']) });
    expect(parseArguments([]).only.size).toBe(10);
    expect(parseArguments(['--only', 'whole-scan']).only).toEqual(new Set(['9']));
    expect(parseArguments(['--only', 'table-rendering']).only).toEqual(new Set(['10']));
    expect(() => parseArguments(['--only', 'speed'])).toThrow(/unknown figure/);
  });

  it('prints one Markdown row per figure row, escaping pipes', () => {
    const table = markdownTable([{ figure: 'x | y', measured: '1', target: '<= 2', met: true }, { figure: 'z', measured: 'not measured: gone', target: '-', met: null }]);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('x \\| y');
    expect(table).toContain('| yes |');
  });
});

describe('figure 4 from a file', () => {
  it('writes the synthetic estate to a file in a child, evaluates it streamed in another, reads it alone in a third, and removes the file', async () => {
    const run = await measureFileEvaluation({ smoke: true });
    if (run instanceof Error) throw run;
    expect(run.redisServers).toBe(1000);
    expect(run.findings).toBe(evaluateSnapshot(syntheticSnapshot(1000), { now: NOW }).findings.length);
    expect(run.bytes).toBeGreaterThan(1_000_000);
    expect(run.maxRssMB).toBeGreaterThan(0);
    expect(run.read.readMs).toBeGreaterThan(0);
    expect(run.read.maxRssMB).toBeGreaterThan(0);
    const [row] = fileEvaluationMemoryRows({ smoke: true }, run);
    expect(row!.measured).toContain('MB peak');
    expect(row!.measured).toContain('reading alone');
  }, 120_000);
});

describe('figure 9 (whole scan against dynalite)', () => {
  it('stores every finding of the file with waivers and previous states present, then reports the stored scan', async () => {
    const previous = process.env.BENCH_WHOLE_SCAN_SIZES;
    process.env.BENCH_WHOLE_SCAN_SIZES = '60';
    try {
      const [scan, report] = await wholeScanFigure.run({ smoke: true });
      expect(scan!.measured).not.toMatch(/^not measured/);
      const data = scan!.data as { findings: number; written: { findings: number; states: number; scanRecords: number }; counts: Record<string, number>; requests: number; newFailures: number; steps: Record<string, number> };
      const findings = evaluateSnapshot(syntheticSnapshot(60), { now: NOW }).findings.length;
      expect(data.findings).toBe(findings);
      expect(data.written.findings).toBe(findings);
      expect(data.written.scanRecords).toBe(2);
      // The seeded waivers and previous states were met: some findings waived, some failures new.
      expect(data.counts.SUPPRESSED).toBeGreaterThan(0);
      expect(data.newFailures).toBeGreaterThan(0);
      expect(data.requests).toBeGreaterThanOrEqual(storeLowerBound(data.written).requests);
      expect(Object.keys(data.steps)).toEqual(expect.arrayContaining(['evaluate (read + rules)', 'putFindings', 'putFindingStates']));
      expect(report!.measured).not.toMatch(/^not measured/);
      expect((report!.data as { findings: number }).findings).toBe(findings);
    } finally {
      if (previous === undefined) delete process.env.BENCH_WHOLE_SCAN_SIZES;
      else process.env.BENCH_WHOLE_SCAN_SIZES = previous;
    }
  }, 180_000);

  it('BENCH_WHOLE_SCAN_REPORT_ONLY=1: the report row alone, from the scan and a previous scan stored directly', async () => {
    const saved = { sizes: process.env.BENCH_WHOLE_SCAN_SIZES, only: process.env.BENCH_WHOLE_SCAN_REPORT_ONLY };
    process.env.BENCH_WHOLE_SCAN_SIZES = '60';
    process.env.BENCH_WHOLE_SCAN_REPORT_ONLY = '1';
    try {
      const rows = await wholeScanFigure.run({ smoke: true });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.measured).not.toMatch(/^not measured/);
      const data = rows[0]!.data as { findings: number; attentionFindings: number; maxRssMB: number; fullHtmlBytes: number; seeded: { findings: number; previousFindings: number; counts: Record<string, number> } };
      const findings = evaluateSnapshot(syntheticSnapshot(60), { now: NOW }).findings.length;
      expect(data.findings).toBe(findings);
      expect(data.seeded.previousFindings).toBe(findings);
      // Held in full: exactly the findings that need a decision.
      expect(data.attentionFindings).toBe(data.seeded.counts.FAIL! + data.seeded.counts.UNKNOWN! + data.seeded.counts.SUPPRESSED!);
      expect(data.attentionFindings).toBeLessThan(findings);
      expect(data.fullHtmlBytes).toBeGreaterThan(0);
      expect(data.maxRssMB).toBeGreaterThan(0);
    } finally {
      for (const [key, value] of [['BENCH_WHOLE_SCAN_SIZES', saved.sizes], ['BENCH_WHOLE_SCAN_REPORT_ONLY', saved.only]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }, 180_000);
});
