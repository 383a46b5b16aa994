/**
 * A capture ends in bounded time and says why it could not read: an endpoint on 127.0.0.1 that
 * accepts connections and never answers is recorded as that call's error naming the endpoint; one
 * that refuses them, or missing credentials, ends the run with exit 4 and a line saying what to do;
 * a GetCallerIdentity that fails in one region is that target's error while the others go on.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../cli/program';
import { compliantEstate } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError } from '../../support/aws-fakes/fake-region';
import { generateEstate } from '../../support/aws-fakes/generate-estate';
import { fakeClientOptions, fastRetries } from '../../support/aws-fakes/test-setup';

const savedEnv = { ...process.env };
const dir = mkdtempSync(join(tmpdir(), 'bounded-capture-'));

function clearAwsEnvironment(): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env.AWS_CONFIG_FILE = join(dir, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

beforeEach(() => {
  clearAwsEnvironment();
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKE111122223333';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret';
});
afterEach(() => {
  process.env = { ...savedEnv };
});

function io(extra: { stderrIsTTY?: boolean } = {}) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), setExitCode: () => undefined, isTTY: false, columns: 120, progressAfterMs: 0, ...extra } };
}

function listen<T extends Server | HttpServer>(server: T): Promise<T> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server: Server | HttpServer) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Accepts every connection and never answers. */
async function silentServer(): Promise<{ server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = await listen(createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  }));
  return { server, close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}

/** An STS endpoint answering GetCallerIdentity as the Query protocol documents it. */
async function stsServer(): Promise<HttpServer> {
  return listen(createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/scanner</Arn><UserId>AIDAFAKE</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0d0e0f</RequestId></ResponseMetadata></GetCallerIdentityResponse>');
    });
  }));
}

test('an endpoint that never answers is recorded as the call\'s capture error, naming the endpoint, and the capture ends', async () => {
  const silent = await silentServer();
  const sts = await stsServer();
  try {
    process.env.AWS_ENDPOINT_URL = urlOf(silent.server);
    process.env.AWS_ENDPOINT_URL_STS = urlOf(sts);
    const out = join(dir, 'hung.json');
    const t = io();
    const code = await runCli(['capture', '--regions', 'eu-west-1', '--connect-timeout', '1', '--request-timeout', '1', '--max-attempts', '5', '--out', out], t.io, fastRetries());
    expect(code).toBe(0);
    const target = JSON.parse(readFileSync(out, 'utf8')).targets[0];
    const describe = target.errors.find((e: { operation: string }) => e.operation === 'DescribeInstances');
    expect(describe).toMatchObject({ service: 'ec2', code: expect.stringMatching(/TimeoutError|ETIMEDOUT/) });
    expect(describe.message).toContain(`no answer from ${urlOf(silent.server)}`);
    // Tried twice (one retry after a timeout), not the five attempts --max-attempts allows.
    expect(target.apiCalls['ec2:DescribeInstances']).toBe(2);
    expect(t.out.stderr).toMatch(/^capture: 1\/1 targets, 0 instances, \d+ calls, 0 throttled \(retried\)$/m);
  } finally {
    await silent.close();
    await new Promise((resolve) => sts.close(resolve));
  }
}, 60_000);

test('an STS that refuses connections in every region ends the run with exit 4 and says what to check', async () => {
  const refusing = await listen(createServer());
  const url = urlOf(refusing);
  await new Promise((resolve) => refusing.close(resolve));
  process.env.AWS_ENDPOINT_URL = url;
  const t = io();
  expect(await runCli(['capture', '--regions', 'eu-west-1,us-east-1', '--max-attempts', '2'], t.io, fastRetries())).toBe(4);
  expect(t.out.stderr).toContain('sts:GetCallerIdentity failed in every region');
  expect(t.out.stderr).toContain('ECONNREFUSED');
  expect(t.out.stderr).toContain(`no answer from ${url}`);
  expect(t.out.stderr).toContain('check the network, proxy and any AWS_ENDPOINT_URL override');
  expect(t.out.stderr).not.toContain('unexpected error');
}, 60_000);

test('missing credentials end the run with exit 4, not 2, and say how to provide them', async () => {
  clearAwsEnvironment();
  for (const argv of [['capture', '--regions', 'eu-west-1'], ['scan', '--live', '--regions', 'eu-west-1', '--accounts', '111122223333', '--role-name', 'RedisComplianceReader']]) {
    const t = io();
    expect(await runCli(argv, t.io, fastRetries())).toBe(4);
    expect(t.out.stderr).toMatch(/no AWS credentials could be loaded.*: set AWS_PROFILE, run aws sso login/);
  }
}, 60_000);

test('GetCallerIdentity failing in one region is that target\'s error; the other region is captured', async () => {
  const fake = new FakeAws().add(compliantEstate().target).add(generateEstate(10, '111122223333', 'us-east-1').builder.target);
  fake.faults.push((call) => (call.service === 'sts' && call.region === 'eu-west-1' ? new FakeAwsError('InternalFailure', 'STS is unavailable', 500) : undefined));
  const out = join(dir, 'one-region.json');
  const t = io();
  expect(await runCli(['capture', '--regions', 'eu-west-1,us-east-1', '--out', out], t.io, fakeClientOptions(fake, 2))).toBe(0);
  const targets = JSON.parse(readFileSync(out, 'utf8')).targets;
  expect(targets.map((x: { region: string }) => x.region)).toEqual(['eu-west-1', 'us-east-1']);
  expect(targets[0].errors[0]).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', code: 'InternalFailure' });
  expect(targets[0].ec2.Reservations.length).toBeGreaterThan(0);
  expect(targets[1].errors).toEqual([]);
  expect(await runCli(['scan', '--snapshot', out, '--fail-on', 'critical'], io().io)).toBe(3);
});

test('on a terminal the progress line is redrawn in place', async () => {
  const fake = new FakeAws().add(compliantEstate().target);
  const t = io({ stderrIsTTY: true });
  expect(await runCli(['capture', '--regions', 'eu-west-1', '--out', join(dir, 'tty.json')], t.io, fakeClientOptions(fake))).toBe(0);
  expect(t.out.stderr).toMatch(/\r\u001b\[Kcapture: 1\/1 targets, 5 instances, \d+ calls, 0 throttled \(retried\)\n/);
});
