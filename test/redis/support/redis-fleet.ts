/**
 * Real redis-server / redis-sentinel processes for the probe tests: each started from its own config
 * file in a temporary folder, on 127.0.0.x addresses and free high ports, and stopped by pid.
 * Nothing here skips: a machine without Redis fails with the command that installs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const APT_STEP = 'bash scripts/install-test-prerequisites.sh (run by npm test; installs redis-server redis-tools redis-sentinel shellcheck openssl curl gcc libc6-dev from Debian as root or with sudo)';

/** Throws, naming the missing commands and how to install them, unless every one is on PATH. */
export function requireCommands(...commands: string[]): void {
  const missing = commands.filter((c) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).status !== 0);
  if (missing.length > 0) throw new Error(`The real-Redis tests need ${missing.join(', ')} on PATH; run: ${APT_STEP}`);
}

/** True when nothing listens on host:port and it can be bound. */
function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports (and their cluster bus ports, +10000) on every host, from a random
 * start in 20000-44999 so that parallel runs and other tests do not collide.
 */
export async function freePorts(hosts: readonly string[], count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 25000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    let free = true;
    for (const host of hosts) {
      for (const port of ports) {
        if (!(await canBind(host, port)) || !(await canBind(host, port + 10000))) free = false;
        if (!free) break;
      }
      if (!free) break;
    }
    if (free) return ports;
  }
  throw new Error(`no ${count} consecutive free ports on ${hosts.join(', ')}`);
}

/** The first of the addresses on which `port` is free (for the fixed port 6379). */
export async function freeAddressFor(port: number, candidates: readonly string[]): Promise<string> {
  for (const host of candidates) if (await canBind(host, port)) return host;
  throw new Error(`port ${port} is taken on every one of ${candidates.join(', ')}`);
}

function waitForPort(host: string, port: number, timeoutMs: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`redis exited with ${child.exitCode} before listening on ${host}:${port}: ${readFileSync(log, 'utf8').slice(-800)}`));
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms: ${readFileSync(log, 'utf8').slice(-800)}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export interface RedisProcess {
  name: string;
  pid: number;
  host: string;
  port: number;
  configFile: string;
  child: ChildProcess;
}

/** A set of Redis processes in one temporary folder; `stop()` ends every one by pid and removes the folder. */
export class RedisFleet {
  readonly dir = mkdtempSync(join(tmpdir(), 'redis-fleet-'));
  readonly processes: RedisProcess[] = [];

  /** Writes `<name>.conf` (with dir and logfile added) and starts `command [conf, ...args]`; resolves once host:port accepts connections. */
  async start(name: string, options: { host: string; port: number; config: string[]; command?: string; args?: string[] }): Promise<RedisProcess> {
    const configFile = join(this.dir, `${name}.conf`);
    const log = join(this.dir, `${name}.log`);
    writeFileSync(configFile, [...options.config, `dir ${this.dir}`, 'daemonize no', 'save ""', 'appendonly no', ''].join('\n'));
    const out = openSync(log, 'a');
    const child = spawn(options.command ?? 'redis-server', [configFile, ...(options.args ?? [])], { cwd: this.dir, stdio: ['ignore', out, out] });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`${options.command ?? 'redis-server'} did not start`);
    const proc = { name, pid: child.pid, host: options.host, port: options.port, configFile, child };
    this.processes.push(proc);
    await waitForPort(options.host, options.port, 10000, child, log);
    return proc;
  }

  /**
   * Starts `redis-server args...` in `cwd` (the caller wrote the config files); resolves once
   * host:port accepts connections. For layouts other than one config per fleet folder.
   */
  async startWith(name: string, options: { host: string; port: number; args: string[]; cwd: string }): Promise<RedisProcess> {
    const log = join(this.dir, `${name}.log`);
    const out = openSync(log, 'a');
    const child = spawn('redis-server', options.args, { cwd: options.cwd, stdio: ['ignore', out, out] });
    closeSync(out);
    if (child.pid === undefined) throw new Error('redis-server did not start');
    const proc = { name, pid: child.pid, host: options.host, port: options.port, configFile: options.args[0] ?? '', child };
    this.processes.push(proc);
    await waitForPort(options.host, options.port, 10000, child, log);
    return proc;
  }

  /** SIGTERM to every process, SIGKILL to any still running after 5 s; then the folder goes. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => stopProcess(p.child)));
    this.processes.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pids of the named processes, for REDIS_PIDS. */
  pids(...names: string[]): string {
    return this.processes.filter((p) => names.length === 0 || names.includes(p.name)).map((p) => p.pid).join(' ');
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** True when a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** redis-cli with the password in REDISCLI_AUTH; throws on a non-zero exit. */
export function redisCli(args: string[], options: { password?: string; tls?: string[]; timeoutMs?: number } = {}): string {
  const env = { ...process.env, ...(options.password ? { REDISCLI_AUTH: options.password } : {}) };
  const result = spawnSync('redis-cli', [...(options.tls ?? []), ...(options.password ? ['--no-auth-warning'] : []), ...args], { encoding: 'utf8', env, timeout: options.timeoutMs ?? 60000 });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')} exited ${result.status}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

/**
 * Polls every node until its CLUSTER INFO says cluster_state:ok and its CLUSTER NODES lists
 * `replicas` replicas (state and roles spread by gossip after create).
 */
export async function waitForClusterOk(nodes: ReadonlyArray<{ host: string; port: number }>, options: { password?: string; tls?: string[] } = {}, replicas = nodes.length / 2): Promise<void> {
  const deadline = Date.now() + 20000;
  for (const node of nodes) {
    for (;;) {
      const at = ['-h', node.host, '-p', String(node.port)];
      const info = redisCli([...at, 'CLUSTER', 'INFO'], options);
      const view = redisCli([...at, 'CLUSTER', 'NODES'], options);
      if (/cluster_state:ok/.test(info) && view.split('\n').filter((line) => / (myself,)?slave /.test(line)).length === replicas) break;
      if (Date.now() > deadline) throw new Error(`cluster not ok on ${node.host}:${node.port}: ${info}${view}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A CA and a server/client certificate for 127.0.0.1-3, made with openssl in `dir`. */
export function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=redis-compliance test CA']);
  run(['req', '-new', ...ec, '-keyout', 'redis.key', '-out', 'redis.csr', '-subj', '/CN=redis']);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3,DNS:localhost\n');
  run(['x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'redis.crt', '-days', '2', '-extfile', 'san.cnf']);
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'redis.crt'), key: join(dir, 'redis.key') };
}
