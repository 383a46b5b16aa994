/**
 * Puts a process in a cgroup named like a systemd service (`.../<unit>`), as systemd does for the
 * processes of a unit, so that /proc/<pid>/cgroup names the unit. Uses the `name=systemd` cgroup v1
 * hierarchy when the machine has one, else the cgroup v2 hierarchy (both from /proc/self/mounts).
 * No systemd is needed: the probe reads only /proc/<pid>/cgroup and the unit files.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function cgroupRoot(): string {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' '));
  const v1 = mounts.find((m) => m[2] === 'cgroup' && (m[3] ?? '').split(',').includes('name=systemd'));
  const v2 = mounts.find((m) => m[2] === 'cgroup2');
  const root = v1?.[1] ?? v2?.[1];
  if (root === undefined) throw new Error('no name=systemd or cgroup2 hierarchy mounted: the systemd-unit probe test needs one to place a process in a service cgroup');
  return root;
}

/** Moves `pid` into `<hierarchy>/redis-probe-test.slice/<unit>`; returns a function that removes that cgroup once the process is gone. */
export function placeInServiceCgroup(pid: number, unit: string): () => void {
  const slice = join(cgroupRoot(), 'redis-probe-test.slice');
  const group = join(slice, unit);
  mkdirSync(group, { recursive: true });
  writeFileSync(join(group, 'cgroup.procs'), `${pid}\n`);
  const seen = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  if (!seen.includes(`/redis-probe-test.slice/${unit}`)) throw new Error(`pid ${pid} is not in ${group}: ${seen}`);
  return () => {
    rmdirSync(group);
    try {
      rmdirSync(slice);
    } catch {
      // another test's unit is still there
    }
  };
}
