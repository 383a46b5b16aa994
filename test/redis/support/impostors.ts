/**
 * Hostile neighbours for the probe tests: processes started as the unprivileged user `nobody`
 * (`setpriv`, util-linux) that pretend to be Redis, and the files such a user can plant. Every
 * impostor records what reaches it, so a test can show that no password and no root execution did.
 * Processes are stopped by pid; folders are removed by the test's afterAll through `cleanup()`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The unprivileged user and group the impostors run as (Debian's nobody / nogroup). */
export const NOBODY = { user: 'nobody', group: 'nogroup' };

function numericId(args: string[]): number {
  const result = spawnSync('id', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`id ${args.join(' ')}: ${result.stderr}`);
  return Number(result.stdout.trim());
}

export const NOBODY_UID = numericId(['-u', NOBODY.user]);
export const NOGROUP_GID = Number(spawnSync('getent', ['group', NOBODY.group], { encoding: 'utf8' }).stdout.split(':')[2]);

/** The tests start processes as another user and need root (as CI and the probe itself run). */
export function requireRoot(): void {
  if (process.getuid?.() !== 0) throw new Error('the hostile-process probe tests run the probe as root and start impostors as nobody: run them as root (CI does)');
}

const made: string[] = [];
const children: ChildProcess[] = [];
const extraPids: number[] = [];

/** A folder owned by nobody (what an unprivileged user can create, e.g. under /tmp). */
export function attackerFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-impostor-'));
  made.push(dir);
  chownSync(dir, NOBODY_UID, NOGROUP_GID);
  chmodSync(dir, 0o755);
  return dir;
}

/** A folder owned by root, writable by root only (what the probe may trust). */
export function rootFolder(prefix = 'redis-root-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  chmodSync(dir, 0o755);
  return dir;
}

/** Writes an executable file owned by `owner` (nobody unless said otherwise). */
export function plant(path: string, text: string, owner: 'nobody' | 'root' = 'nobody'): string {
  writeFileSync(path, text, { mode: 0o755 });
  if (owner === 'nobody') chownSync(path, NOBODY_UID, NOGROUP_GID);
  return path;
}

/**
 * A compiled program named `redis-server` in an attacker's folder, owned by nobody: started without
 * arguments it sleeps (holding whatever sockets it inherited); run with any argument (as in
 * `redis-server --version`) it appends `ran as uid=<uid>` to `marker` and prints a Redis-like
 * version line. The marker existing means someone executed the impostor's own binary.
 */
export function markerBinary(dir: string, marker: string): string {
  const source = join(dir, 'impostor.c');
  writeFileSync(
    source,
    [
      '#include <stdio.h>',
      '#include <unistd.h>',
      'int main(int argc, char **argv) {',
      '  if (argc > 1) {',
      `    FILE *f = fopen(${JSON.stringify(marker)}, "a");`,
      '    if (f) { fprintf(f, "ran as uid=%d euid=%d with %s\\n", (int)getuid(), (int)geteuid(), argv[1]); fclose(f); }',
      '    puts("Redis server v=9.9.9 sha=00000000:0 malloc=libc bits=64 build=0");',
      '    return 0;',
      '  }',
      '  for (;;) pause();',
      '}',
      '',
    ].join('\n'),
  );
  const binary = join(dir, 'redis-server');
  const result = spawnSync('gcc', ['-O1', '-o', binary, source], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gcc could not build the impostor binary: ${result.stderr}`);
  chownSync(binary, NOBODY_UID, NOGROUP_GID);
  return binary;
}

/** A Node.js listener, as nobody, titled redis-server: answers every command with -NOAUTH and appends all it receives to `log`. */
const LISTENER = `
const net = require('net');
const fs = require('fs');
const { spawn } = require('child_process');
const { listen, log, holder } = JSON.parse(process.argv[2]);
process.title = 'redis-server';
const servers = [];
let pending = listen.length;
for (const { host, port } of listen) {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      fs.appendFileSync(log, chunk);
      socket.write('-NOAUTH Authentication required.\\r\\n');
    });
  });
  server.on('error', (e) => { process.stdout.write('error ' + e.message + '\\n'); process.exit(1); });
  server.listen({ host, port, ipv6Only: host.includes(':') }, () => { if (--pending === 0) ready(); });
  servers.push(server);
}
function ready() {
  let holderPid = '';
  if (holder) holderPid = spawn(holder, [], { stdio: ['ignore', 'ignore', 'ignore', ...servers.map((s) => s._handle.fd)] }).pid;
  process.stdout.write('ready ' + holderPid + '\\n');
}
`;

export interface Impostor {
  /** The listener's pid (comm redis-server, executable node). */
  pid: number;
  /** The pid of the `holder` program sharing its listening sockets, when one was given. */
  holderPid?: number;
  /** Everything the impostor received so far. */
  received(): string;
}

/**
 * Starts a -NOAUTH listener as nobody on every `listen` address (IPv6 addresses bound v6-only);
 * `holder`, when given, is started by it (as nobody, no arguments) holding the same listening
 * sockets, so the probe sees a process running that program listen there.
 */
export async function startImpostor(options: { listen: Array<{ host: string; port: number }>; holder?: string }): Promise<Impostor> {
  const dir = attackerFolder();
  const script = join(dir, 'listener.js');
  writeFileSync(script, LISTENER, { mode: 0o644 });
  const log = join(dir, 'received.log');
  writeFileSync(log, '');
  chownSync(log, NOBODY_UID, NOGROUP_GID);
  const child = spawn('setpriv', [`--reuid=${NOBODY.user}`, `--regid=${NOBODY.group}`, '--clear-groups', process.execPath, script, JSON.stringify({ listen: options.listen, log, holder: options.holder })], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`impostor exited ${code}: ${out}`)));
  });
  if (!line.startsWith('ready')) throw new Error(`impostor did not start: ${line}`);
  const holderPid = line.split(' ')[1] ? Number(line.split(' ')[1]) : undefined;
  if (holderPid !== undefined) extraPids.push(holderPid);
  return { pid: child.pid!, ...(holderPid !== undefined ? { holderPid } : {}), received: () => readFileSync(log, 'latin1') };
}

/** Reads a marker file: its text, or '' when nothing ever wrote it. */
export function markerText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/**
 * A root-owned folder of symlinks to every program of /usr/bin and /bin except the ones named:
 * a PATH (and a trusted tool folder) on which those programs do not exist.
 */
export function toolFolderWithout(excluded: readonly string[], extra: Record<string, string> = {}): string {
  const dir = rootFolder('redis-tools-');
  for (const folder of ['/usr/bin', '/bin']) {
    for (const name of readdirSync(folder)) {
      if (excluded.some((e) => name.startsWith(e)) || existsSync(join(dir, name))) continue;
      symlinkSync(join(folder, name), join(dir, name));
    }
  }
  for (const [name, text] of Object.entries(extra)) plant(join(dir, name), text, 'root');
  return dir;
}

/** A root-owned folder holding only the given executables (root-owned scripts). */
export function toolFolder(tools: Record<string, string>): string {
  const dir = rootFolder('redis-tools-');
  for (const [name, text] of Object.entries(tools)) plant(join(dir, name), text, 'root');
  return dir;
}

/** Kills every impostor by pid (SIGKILL: they are ours and hostile) and removes the folders. */
export async function cleanup(): Promise<void> {
  for (const pid of extraPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  extraPids.length = 0;
  children.length = 0;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
