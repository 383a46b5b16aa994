/**
 * capacity.memory (footnote 1): with N Redis processes on a server, each may use at most RAM / N.
 * Per server, from the probe's rows (one per Redis process): every process has `maxmemory` set
 * (0 = unbounded fails on a server with two or more processes), each at most RAM / N and their sum
 * within RAM; `used_memory` at or under config.capacity.memoryUsedFraction (default 80 %) of
 * `maxmemory`. RAM: the probe's total_system_memory, else the instance type's memory.
 */
import { serverProbe } from '../cluster/probe-topology';
import type { ProbedProcess } from '../cluster/redis-topology';
import type { EstateTarget, RedisServer } from '../estate/estate';
import { REQUIREMENT } from '../requirements';
import { lookupInstanceType } from './instance-type-facts';
import { serverFinding, type RuleDefinition, type Verdict } from './rule';

export const capacityMemoryRule: RuleDefinition = {
  id: 'capacity.memory',
  resourceType: 'AWS::EC2::Instance',
  title: 'Redis memory limits fit the server and are not exhausted',
  requirement: REQUIREMENT.memoryFootnote,
  evaluate(target) {
    return target.redisServers.map((server) => serverFinding(capacityMemoryRule, server, serverVerdict(target, server)));
  },
};

const GIB = 1024 ** 3;

export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${+(bytes / GIB).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} B`;
}

function processLabel(p: ProbedProcess): string {
  return `port ${p.port ?? '?'}${p.role ? ` (${p.role === 'slave' ? 'replica' : p.role})` : ''}`;
}

function serverVerdict(target: EstateTarget, server: RedisServer): Verdict {
  const fraction = target.config.capacity.memoryUsedFraction;
  const percent = `${Math.round(fraction * 100)} %`;
  const severity = server.production ? 'high' : 'medium';
  const probe = serverProbe(target, server);
  const requiredBase = `Each Redis process with maxmemory set to at most RAM / (number of Redis processes on the server), their sum within RAM, and used_memory at or under ${percent} of maxmemory.`;
  if (!probe.found) {
    return { status: 'UNKNOWN', severity, observed: `No Redis process facts for ${server.instanceId}: ${probe.reason}`, required: requiredBase, remediation: 'Run the Redis probe (inventory/redis-probe.sh) through the SSM inventory association so Custom:RedisServer rows (maxmemory, used_memory) are collected, then scan again.' };
  }
  const processes = probe.processes.filter((p) => p.mode !== 'sentinel');
  if (probe.processes.length > 0 && processes.length === 0) {
    return { status: 'NOT_APPLICABLE', severity: 'info', observed: `${server.instanceId} runs only Redis Sentinel (${probe.processes.length} process${probe.processes.length === 1 ? '' : 'es'}), which holds no session data.`, required: requiredBase, remediation: 'None needed for memory limits (cluster.mode judges Sentinel in production).' };
  }
  const silent = processes.filter((p) => p.error !== undefined || p.maxmemory === undefined);
  const answered = processes.filter((p) => !silent.includes(p));
  const typeLookup = lookupInstanceType(target, server);
  const typeBytes = typeLookup.found && typeLookup.info.MemoryInfo?.SizeInMiB !== undefined ? typeLookup.info.MemoryInfo.SizeInMiB * 1024 ** 2 : undefined;
  // One server, one RAM: the largest figure any process reports (whatever the order of the rows).
  const reportedFigures = answered.map((p) => p.totalSystemMemory).filter((m): m is number => m !== undefined && m > 0);
  const reported = reportedFigures.length > 0 ? Math.max(...reportedFigures) : undefined;
  const ram = reported ?? typeBytes;
  const ramSource = reported !== undefined ? 'total_system_memory as Redis reports it' : typeLookup.found ? `the ${typeLookup.info.InstanceType} type` : '';
  if (processes.length === 0) {
    return { status: 'UNKNOWN', severity, observed: `The probe found no Redis server process on ${server.instanceId}.`, required: requiredBase, remediation: 'Start the Redis processes (or check the probe output on the server) and scan again.' };
  }
  const full = answered.filter((p) => p.maxmemory! > 0 && p.usedMemory !== undefined && p.usedMemory > fraction * p.maxmemory!);
  const fullText = () => `${full.map((p) => `${processLabel(p)} uses ${formatBytes(p.usedMemory!)} of ${formatBytes(p.maxmemory!)} (${Math.round((p.usedMemory! / p.maxmemory!) * 100)} %)`).join(', ')}, above ${percent}`;
  const fullFix = 'Add memory (a larger instance type, then raise maxmemory within RAM / processes) or shorten the session expiration time; adding servers spreads the slots (redis-cli --cluster add-node, then rebalance).';
  if (ram === undefined) {
    const unknownRam = `The RAM of ${server.instanceId} is not known: no total_system_memory from Redis and ${typeLookup.found ? 'no memory size for its type' : typeLookup.reason}`;
    // used_memory against maxmemory needs no RAM figure.
    if (full.length > 0) {
      return { status: 'FAIL', severity, observed: `${capitalise(fullText())}. ${unknownRam}; the limits are not judged against it.`, required: requiredBase, remediation: fullFix };
    }
    return { status: 'UNKNOWN', severity, observed: unknownRam, required: requiredBase, remediation: 'Capture DescribeInstanceTypes (ec2:DescribeInstanceTypes) and the probe rows, then scan again.' };
  }
  const n = processes.length;
  const share = Math.floor(ram / n);
  const required = `${n} Redis process${n === 1 ? '' : 'es'} on ${formatBytes(ram)} of RAM (${ramSource}): each maxmemory at most ${formatBytes(share)}${n >= 2 ? ' and not 0 (unbounded)' : ''}, their sum within RAM, used_memory at or under ${percent} of maxmemory.`;
  const facts = answered.map((p) => `${processLabel(p)}: maxmemory ${p.maxmemory === 0 ? '0 (unbounded)' : formatBytes(p.maxmemory!)}, used_memory ${p.usedMemory !== undefined ? formatBytes(p.usedMemory) : 'not reported'}`).join('; ');
  const problems: string[] = [];
  const remediations: string[] = [];
  const unbounded = answered.filter((p) => p.maxmemory === 0);
  if (n >= 2 && unbounded.length > 0) {
    problems.push(`${unbounded.map(processLabel).join(', ')} ${unbounded.length === 1 ? 'has' : 'have'} no memory limit (maxmemory 0) while ${n} processes share the server`);
  }
  const oversized = answered.filter((p) => p.maxmemory! > share);
  if (oversized.length > 0) problems.push(`${oversized.map((p) => `${processLabel(p)} maxmemory ${formatBytes(p.maxmemory!)}`).join(', ')} above its share of ${formatBytes(share)}`);
  const sum = answered.reduce((total, redisProcess) => total + (redisProcess.maxmemory ?? 0), 0);
  if (sum > ram) problems.push(`the limits add up to ${formatBytes(sum)}, more than the ${formatBytes(ram)} of RAM`);
  if (problems.length > 0) remediations.push(`Set maxmemory on each process to at most ${formatBytes(share)} (CONFIG SET maxmemory ${share} and the same in its redis.conf, then CONFIG REWRITE), or give the server more RAM.`);
  if (full.length > 0) {
    problems.push(fullText());
    remediations.push(fullFix);
  }
  if (n === 1 && unbounded.length === 1) {
    const used = unbounded[0]!.usedMemory;
    if (used !== undefined && used > fraction * ram) {
      problems.push(`the only process has no limit and uses ${formatBytes(used)} of ${formatBytes(ram)} of RAM, above ${percent}`);
      remediations.push(`Set maxmemory to at most ${formatBytes(Math.floor(fraction * ram))} and add RAM.`);
    }
  }
  if (problems.length > 0) {
    return { status: 'FAIL', severity, observed: `${capitalise(problems.join('; '))}. Processes: ${facts}.${silent.length > 0 ? ` Not answering: ${silent.map((p) => `${processLabel(p)}${p.error ? ` (${p.error})` : ''}`).join(', ')}.` : ''}`, required, remediation: remediations.join(' ') };
  }
  if (silent.length > 0) {
    return { status: 'UNKNOWN', severity, observed: `${silent.map((p) => `${processLabel(p)}${p.error ? `: ${p.error}` : ': no maxmemory reported'}`).join('; ')}.${facts ? ` Answered: ${facts}.` : ''}`, required, remediation: 'Make every Redis process answer the probe (authentication, TLS; see docs/redis-probe.md) and scan again.' };
  }
  // How full a process is cannot be judged without used_memory (a bounded one, or the only unbounded one against RAM).
  const usageUnknown = answered.filter((p) => p.usedMemory === undefined && (p.maxmemory! > 0 || n === 1));
  if (usageUnknown.length > 0) {
    return { status: 'UNKNOWN', severity, observed: `${capitalise(usageUnknown.map(processLabel).join(', '))} did not report used_memory, so whether ${usageUnknown.length === 1 ? 'it is' : 'they are'} within ${percent} is not known. Processes: ${facts}.`, required, remediation: 'Run the current Redis probe (inventory/redis-probe.sh records used_memory from INFO memory) and scan again.' };
  }
  const unboundedNote = n === 1 && unbounded.length === 1 ? ' The only process has no memory limit: set maxmemory so Redis evicts or refuses writes before the kernel kills it.' : '';
  return { status: 'PASS', severity, observed: `Processes: ${facts}; within ${formatBytes(share)} each and ${percent} used.`, required, remediation: `None needed.${unboundedNote} Raise RAM before maxmemory when sessions grow.` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
