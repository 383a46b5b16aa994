import { ApiCallCounter } from '../../../lambdas/adapters/collectors/api-call-counter';
import { chunk } from '../../../lambdas/adapters/collectors/chunk';
import { toCollectionError } from '../../../lambdas/adapters/collectors/collection-error';
import { READER_IAM_ACTIONS, SCANNER_ASSUME_ROLE_ACTION } from '../../../lambdas/adapters/collectors/reader-iam-actions';
import { runWithConcurrency } from '../../../lambdas/adapters/collectors/run-with-concurrency';
import { toJsonSafe } from '../../../lambdas/adapters/collectors/to-json-safe';

test('toJsonSafe: dates to ISO strings at any depth, $metadata and undefined dropped, the rest untouched', () => {
  const out = toJsonSafe({ $metadata: { httpStatusCode: 200 }, A: new Date('2026-01-02T03:04:05Z'), B: [{ C: new Date(0), D: undefined, E: 1, F: null }], G: 'x' });
  expect(out).toEqual({ A: '2026-01-02T03:04:05.000Z', B: [{ C: '1970-01-01T00:00:00.000Z', E: 1, F: null }], G: 'x' });
  expect(JSON.parse(JSON.stringify(out))).toEqual(out);
});

test('chunk splits at the size and rejects a bad size', () => {
  expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(chunk([], 40)).toEqual([]);
  expect(() => chunk([1], 0)).toThrow(RangeError);
});

test('runWithConcurrency keeps order and never exceeds the limit', async () => {
  let running = 0;
  let peak = 0;
  const result = await runWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < n; i++) await Promise.resolve();
    running--;
    return n * 10;
  });
  expect(result).toEqual([50, 10, 40, 20, 30, 0]);
  expect(peak).toBe(2);
  await expect(runWithConcurrency([1], 0, async () => 1)).rejects.toThrow(RangeError);
});

test('ApiCallCounter sums by service:Operation with sorted keys', () => {
  const counter = new ApiCallCounter();
  counter.record('ssm', 'GetInventory');
  counter.record('ec2', 'DescribeInstances');
  counter.record('ssm', 'GetInventory');
  expect(counter.toRecord()).toEqual({ 'ec2:DescribeInstances': 1, 'ssm:GetInventory': 2 });
  expect(Object.keys(counter.toRecord())).toEqual(['ec2:DescribeInstances', 'ssm:GetInventory']);
  expect(counter.total()).toBe(3);
});

test('toCollectionError keeps the AWS error code and the HTTP status', () => {
  const error = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
  expect(toCollectionError('ssm', 'GetInventory', error)).toEqual({ service: 'ssm', operation: 'GetInventory', code: 'AccessDeniedException', message: 'User is not authorized (HTTP 400)' });
  expect(toCollectionError('ec2', 'DescribeVolumes', 'boom')).toEqual({ service: 'ec2', operation: 'DescribeVolumes', code: 'Error', message: 'boom' });
});

test('the reader actions are read-only describe/list/get calls; AssumeRole is the scanner\'s alone', () => {
  expect(READER_IAM_ACTIONS.every((a) => /^(ec2:Describe|ec2:GetManagedPrefixListEntries$|ssm:(Describe|List)|cloudwatch:GetMetricData$|inspector2:List(Findings|Coverage)$)/.test(a))).toBe(true);
  expect(READER_IAM_ACTIONS).toContain('cloudwatch:GetMetricData');
  expect(READER_IAM_ACTIONS).toContain('ssm:ListInventoryEntries');
  expect(READER_IAM_ACTIONS).not.toContain('ssm:GetInventory');
  expect(new Set(READER_IAM_ACTIONS).size).toBe(READER_IAM_ACTIONS.length);
  expect(READER_IAM_ACTIONS).not.toContain(SCANNER_ASSUME_ROLE_ACTION);
});
