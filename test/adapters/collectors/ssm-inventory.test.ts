/**
 * SSM inventory through ListInventoryEntries, against the wire-level fake: which calls are made for
 * which instance, how answers become GetInventory-shaped entities, the fallbacks when a name filter
 * is refused or misses, and what a failure leaves behind (one error, UNKNOWN evidence, never PASS).
 */
import { GetInventoryCommand, ListInventoryEntriesCommand, SSMClient } from '@aws-sdk/client-ssm';
import { captureEstate } from '../../../lambdas/adapters/collectors/capture-estate';
import { evaluateSnapshot } from '../../../lambdas/core/evaluate';
import type { Finding } from '../../../lambdas/core/model';
import { FRONTEND_IDS, REDIS_IDS, compliantEstate, platformServerPackage, redisPackage, type EstateBuilder } from '../../support/estate-builder';
import { FakeAws } from '../../support/aws-fakes/fake-aws';
import { FakeAwsError, FakeRegion } from '../../support/aws-fakes/fake-region';
import { fakeClientOptions, useFakeDefaultCredentials } from '../../support/aws-fakes/test-setup';

const now = () => new Date('2026-11-25T03:00:00.000Z');

let restore: () => void;
beforeAll(() => (restore = useFakeDefaultCredentials()));
afterAll(() => restore());

async function capture(estate: EstateBuilder, prepare: (fake: FakeAws) => void = () => undefined) {
  const fake = new FakeAws().add(estate.target);
  prepare(fake);
  const snapshot = await captureEstate({ regions: ['eu-west-1'], ...fakeClientOptions(fake) });
  const inventoryCalls = fake.calls.filter((c) => c.operation === 'ListInventoryEntries');
  return { fake, snapshot, target: snapshot.targets[0]!, inventoryCalls, findings: evaluateSnapshot(snapshot, { now }).findings };
}

const finding = (findings: Finding[], ruleId: string, resourceId: string) => findings.find((f) => f.ruleId === ruleId && f.resourceId === resourceId)!;
const withoutCustomInventory = (estate: EstateBuilder, id: string) =>
  estate.mutate((t) => {
    delete t.ssm.Entities.find((e) => e.Id === id)!.Data!['Custom:RedisServer'];
  });

test('entities keep GetInventory\'s shape, built from ListInventoryEntries answers; GetInventory is never called', async () => {
  const estate = compliantEstate();
  const { target, fake } = await capture(estate);
  expect(fake.calls.some((c) => c.operation === 'GetInventory')).toBe(false);
  const byId = new Map(target.ssm.Entities.map((e) => [e.Id, e]));
  for (const id of REDIS_IDS) {
    expect(byId.get(id)).toEqual({ Id: id, Data: { 'Custom:RedisServer': estate.target.ssm.Entities.find((e) => e.Id === id)!.Data!['Custom:RedisServer'] } });
  }
  for (const id of FRONTEND_IDS) {
    expect(byId.get(id)).toEqual({ Id: id, Data: { 'AWS:Application': estate.target.ssm.Entities.find((e) => e.Id === id)!.Data!['AWS:Application'] } });
  }
});

test('a Redis server that does not report its running version gets its Redis packages read, filtered by name', async () => {
  const estate = withoutCustomInventory(compliantEstate(), REDIS_IDS[0]).mutate((t) => {
    t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['AWS:Application']!.Content!.push({ Name: 'openssl', Version: '3.0.15-1~deb12u1' }, { Name: 'redis-tools', Version: '5:7.0.15-1~deb12u1' });
  });
  const { target, inventoryCalls, findings } = await capture(estate);
  const asked = inventoryCalls.filter((c) => c.input.InstanceId === REDIS_IDS[0]).map((c) => ({ type: c.input.TypeName, filters: c.input.Filters }));
  expect(asked).toEqual([
    { type: 'Custom:RedisServer', filters: undefined },
    { type: 'AWS:Application', filters: [{ Key: 'AWS:Application.Name', Type: 'BeginWith', Values: ['redis', 'Redis', 'REDIS'] }] },
  ]);
  const data = target.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!;
  expect(data['Custom:RedisServer']).toBeUndefined();
  expect(data['AWS:Application']!.Content!.map((r) => r['Name'])).toEqual(['redis-server', 'redis-tools']);
  const version = finding(findings, 'redis.version', REDIS_IDS[0]);
  expect(version.status).toBe('PASS');
  expect(version.observed).toContain('Installed package redis-server "5:7.0.15-1~deb12u1"');
});

test('more than 50 matching rows are read page by page', async () => {
  const many = Array.from({ length: 120 }, (_, i) => ({ Name: `redis-module-${String(i).padStart(3, '0')}`, Version: '1.0' }));
  const estate = withoutCustomInventory(compliantEstate(), REDIS_IDS[1]).mutate((t) => {
    t.ssm.Entities.find((e) => e.Id === REDIS_IDS[1])!.Data!['AWS:Application']!.Content!.push(...many);
  });
  const { target, inventoryCalls } = await capture(estate);
  const pages = inventoryCalls.filter((c) => c.input.InstanceId === REDIS_IDS[1] && c.input.TypeName === 'AWS:Application');
  expect(pages.map((c) => c.input.NextToken)).toEqual([undefined, '50', '100']);
  expect(target.ssm.Entities.find((e) => e.Id === REDIS_IDS[1])!.Data!['AWS:Application']!.Content).toHaveLength(121);
});

test('a managed instance with no inventory gets an entity with no data (UNKNOWN "no inventory"), never empty rows', async () => {
  const estate = compliantEstate().mutate((t) => {
    t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== REDIS_IDS[2] && e.Id !== FRONTEND_IDS[0]);
  });
  const { target, findings } = await capture(estate);
  expect(target.ssm.Entities.find((e) => e.Id === REDIS_IDS[2])).toEqual({ Id: REDIS_IDS[2], Data: {} });
  expect(target.ssm.Entities.find((e) => e.Id === FRONTEND_IDS[0])).toEqual({ Id: FRONTEND_IDS[0], Data: {} });
  expect(target.errors).toEqual([]);
  const version = finding(findings, 'redis.version', REDIS_IDS[2]);
  expect(version.status).toBe('UNKNOWN');
  expect(version.observed).toContain('has no Custom:RedisServer data');
  expect(version.observed).toContain('has no AWS:Application data');
  const platform = finding(findings, 'frontend.platform-server-version', FRONTEND_IDS[0]);
  expect(platform.status).toBe('UNKNOWN');
  expect(platform.observed).toContain('has no AWS:Application data');
});

test('an instance SSM does not manage is not asked for inventory', async () => {
  const estate = compliantEstate().mutate((t) => {
    t.ssm.InstanceInformationList = t.ssm.InstanceInformationList.filter((i) => i.InstanceId !== FRONTEND_IDS[1]);
    t.ssm.Entities = t.ssm.Entities.filter((e) => e.Id !== FRONTEND_IDS[1]);
  });
  const { target, inventoryCalls, findings } = await capture(estate);
  expect(inventoryCalls.some((c) => c.input.InstanceId === FRONTEND_IDS[1])).toBe(false);
  expect(target.ssm.Entities.some((e) => e.Id === FRONTEND_IDS[1])).toBe(false);
  expect(target.errors).toEqual([]);
  expect(finding(findings, 'frontend.platform-server-version', FRONTEND_IDS[1]).status).toBe('UNKNOWN');
});

test('a filtered answer with no row the rules recognise is replaced by the unfiltered rows, so the rules count what is installed', async () => {
  // The front-end lists its Platform Server under a name the filter's prefixes miss (leading space).
  const estate = compliantEstate().mutate((t) => {
    const data = t.ssm.Entities.find((e) => e.Id === FRONTEND_IDS[0])!.Data!['AWS:Application']!;
    data.Content = [{ ...platformServerPackage(), Name: ' OutSystems Platform Server' }, { Name: 'Amazon SSM Agent', Version: '3.3.1142.0' }];
  });
  const { target, inventoryCalls, findings } = await capture(estate);
  const asked = inventoryCalls.filter((c) => c.input.InstanceId === FRONTEND_IDS[0]).map((c) => c.input.Filters === undefined);
  expect(asked).toEqual([false, true]);
  expect(target.ssm.Entities.find((e) => e.Id === FRONTEND_IDS[0])!.Data!['AWS:Application']!.Content).toHaveLength(2);
  expect(finding(findings, 'frontend.platform-server-version', FRONTEND_IDS[0]).status).toBe('PASS');
});

test('a name filter the service refuses: the instance is read unfiltered, and the rest of the target is not filtered again', async () => {
  const estate = compliantEstate().mutate((t) => {
    for (const id of REDIS_IDS) delete t.ssm.Entities.find((e) => e.Id === id)!.Data!['Custom:RedisServer'];
  });
  const clean = await capture(compliantEstate().mutate((t) => {
    for (const id of REDIS_IDS) delete t.ssm.Entities.find((e) => e.Id === id)!.Data!['Custom:RedisServer'];
  }));
  const refused = await capture(estate, (fake) => {
    fake.faults.push((call) => (call.operation === 'ListInventoryEntries' && call.input.Filters ? new FakeAwsError('InvalidFilter', 'The filter name is not valid.') : undefined));
  });
  expect(refused.target.errors).toEqual([]);
  const filtered = refused.inventoryCalls.filter((c) => c.input.Filters);
  // The pool has up to 5 calls in flight: those already sent are refused, later ones go unfiltered.
  expect(filtered.length).toBeGreaterThanOrEqual(1);
  expect(filtered.length).toBeLessThanOrEqual(5);
  const applicationReads = refused.inventoryCalls.filter((c) => c.input.TypeName === 'AWS:Application' && !c.input.Filters);
  expect(applicationReads).toHaveLength(REDIS_IDS.length + FRONTEND_IDS.length);
  // The same verdicts as with a working filter.
  expect(refused.findings.map((f) => [f.ruleId, f.resourceId, f.status])).toEqual(clean.findings.map((f) => [f.ruleId, f.resourceId, f.status]));
});

test('one instance\'s failed call: one error for the target, that instance UNKNOWN, the others judged', async () => {
  const { target, findings } = await capture(compliantEstate(), (fake) => {
    fake.faults.push((call) => (call.operation === 'ListInventoryEntries' && call.input.InstanceId === REDIS_IDS[1] ? new FakeAwsError('InternalServerError', 'An error occurred on the server side.', 500) : undefined));
  });
  expect(target.errors).toHaveLength(1);
  expect(target.errors[0]).toMatchObject({ service: 'ssm', operation: 'ListInventoryEntries', code: 'InternalServerError' });
  expect(target.errors[0]!.message).toContain(`ListInventoryEntries failed for 1 of 5 instances; first: ${REDIS_IDS[1]} Custom:RedisServer`);
  expect(target.ssm.Entities.find((e) => e.Id === REDIS_IDS[1])).toEqual({ Id: REDIS_IDS[1], Data: {} });
  const version = finding(findings, 'redis.version', REDIS_IDS[1]);
  expect(version.status).toBe('UNKNOWN');
  expect(version.observed).toContain('ssm:ListInventoryEntries failed during capture (InternalServerError');
  expect(finding(findings, 'redis.version', REDIS_IDS[0]).status).toBe('PASS');
  expect(findings.filter((f) => f.ruleId === 'cluster.mode').every((f) => f.status !== 'PASS')).toBe(true);
});

describe('the fake ListInventoryEntries and GetInventory hold to the API', () => {
  const region = new FakeRegion(compliantEstate().target);
  const reject = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as FakeAwsError;
    }
    throw new Error('expected the fake to refuse the request');
  };

  test('required members, MaxResults 1-50, 1-5 filters of 1-40 values, valid filter types', () => {
    expect(reject(() => region.listInventoryEntries({ TypeName: 'AWS:Application' })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0] })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: 'not-an-id', TypeName: 'AWS:Application' })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'Application' })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', MaxResults: 51 })).message).toContain('less than or equal to 50');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', MaxResults: 0 })).message).toContain('greater than or equal to 1');
    const filter = { Key: 'AWS:Application.Name', Type: 'Equal', Values: ['redis-server'] };
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: Array(6).fill(filter) })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: [{ ...filter, Values: Array(41).fill('x') }] })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: [{ ...filter, Type: 'Contains' }] })).code).toBe('ValidationException');
    expect(reject(() => region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: [{ ...filter, Type: 'Exists' }] })).code).toBe('InvalidFilter');
    expect(reject(() => region.listInventoryEntries({ InstanceId: 'i-0123456789abcdef0', TypeName: 'AWS:Application' })).code).toBe('InvalidInstanceId');
  });

  test('rows, filters and the no-inventory answer', () => {
    expect(region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: [{ Key: 'AWS:Application.Name', Type: 'BeginWith', Values: ['redis'] }] }).Entries).toEqual([redisPackage()]);
    expect(region.listInventoryEntries({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', Filters: [{ Key: 'AWS:Application.Name', Type: 'BeginWith', Values: ['Redis'] }] })).toEqual({ TypeName: 'AWS:Application', InstanceId: REDIS_IDS[0], SchemaVersion: '1.1', CaptureTime: '2026-11-25T01:30:00Z', Entries: [] });
    expect(region.listInventoryEntries({ InstanceId: FRONTEND_IDS[0], TypeName: 'Custom:RedisServer' })).toEqual({ TypeName: 'Custom:RedisServer', InstanceId: FRONTEND_IDS[0], Entries: [] });
  });

  test('GetInventory refuses every result type but AWS:InstanceInformation and AWS:PatchSummary, as AWS does', () => {
    for (const TypeName of ['AWS:Application', 'Custom:RedisServer']) {
      const error = reject(() => region.getInventory({ ResultAttributes: [{ TypeName }] }));
      expect(error.code).toBe('InvalidResultAttributeException');
      expect(error.message).toBe(`Result type name ${TypeName} is not supported. Supported type names are: AWS:InstanceInformation, AWS:PatchSummary`);
    }
    expect(region.getInventory({ ResultAttributes: [{ TypeName: 'AWS:InstanceInformation' }] }).Entities).toHaveLength(5);
  });

  test('through the SDK, the refusal arrives as the service error the collector would see', async () => {
    const fake = new FakeAws().add(compliantEstate().target);
    const client = new SSMClient({ region: 'eu-west-1', requestHandler: fake.requestHandler, maxAttempts: 1 });
    await expect(client.send(new GetInventoryCommand({ ResultAttributes: [{ TypeName: 'AWS:Application' }] }))).rejects.toMatchObject({ name: 'InvalidResultAttributeException' });
    await expect(client.send(new ListInventoryEntriesCommand({ InstanceId: REDIS_IDS[0], TypeName: 'AWS:Application', MaxResults: 51 }))).rejects.toMatchObject({ name: 'ValidationException' });
    client.destroy();
  });
});

test('a Redis server whose probe saw a cluster-enabled process gets its cluster view (Custom:RedisClusterNode) read; a standalone one does not', async () => {
  const nodeRows = [{ seen_from_port: '7000', node_id: 'a'.repeat(40), address: '10.0.1.11', port: '7000', bus_port: '17000', flags: 'myself,master', master_id: '-', slots: '0-5460' }];
  const estate = compliantEstate().mutate((t) => {
    const clustered = t.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!;
    clustered.Data!['Custom:RedisClusterNode'] = { TypeName: 'Custom:RedisClusterNode', SchemaVersion: '1.0', CaptureTime: '2026-11-25T01:30:00Z', Content: nodeRows };
    const standalone = t.ssm.Entities.find((e) => e.Id === REDIS_IDS[1])!;
    standalone.Data!['Custom:RedisServer']!.Content = [{ redis_version: '7.0.15', redis_mode: 'standalone', cluster_enabled: '0' }];
  });
  const { target, inventoryCalls } = await capture(estate);
  const typesAsked = (id: string) => inventoryCalls.filter((c) => c.input.InstanceId === id).map((c) => c.input.TypeName);
  expect(typesAsked(REDIS_IDS[0])).toEqual(['Custom:RedisServer', 'Custom:RedisClusterNode']);
  expect(typesAsked(REDIS_IDS[1])).toEqual(['Custom:RedisServer']);
  expect(target.ssm.Entities.find((e) => e.Id === REDIS_IDS[0])!.Data!['Custom:RedisClusterNode']!.Content).toEqual(nodeRows);
  expect(target.ssm.Entities.find((e) => e.Id === REDIS_IDS[1])!.Data!['Custom:RedisClusterNode']).toBeUndefined();
});
