/**
 * This process's own peak RSS. `process.resourceUsage().maxRSS` (getrusage) is not it in a child
 * the bench spawns: Linux carries the parent's high-water mark through fork and exec into the
 * child's maxrss, so a child of the bench process that hosts dynalite (figure 9, several GB once
 * seeded) reported the bench's RSS, not its own (a child spawned from a 1.5 GB process printed a
 * maxRSS of 1,505 MB, and a VmHWM of 40 MB). VmHWM in /proc/self/status is the high-water mark of
 * this process's own memory since exec (proc(5)); elsewhere than Linux, maxRSS.
 */
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;

export function peakRssMB(): number {
  try {
    const kb = /^VmHWM:\s*(\d+)\s*kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb !== undefined) return (Number(kb) * 1024) / MB;
  } catch {
    // No procfs: the getrusage figure below.
  }
  return (process.resourceUsage().maxRSS * 1024) / MB;
}
