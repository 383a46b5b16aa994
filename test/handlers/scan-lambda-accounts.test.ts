/**
 * With the fan-out, the account list lives in the state machine's definition, not in the scan
 * Lambda's environment (4 KB): the scan Lambda then scans only the accounts an invocation names, and
 * refuses (a FAILED scan saying why) to silently scan the scanner's own account instead.
 */
import { liveSnapshotSource, liveTargetsFromEnv } from '../../lambdas/handlers/wiring/live-snapshot-source';
import { DEFAULT_CONFIG } from '../../lambdas/core/config';

const env = { TARGET_SOURCE: 'accounts', TARGET_REGIONS: 'eu-west-1' };

test('accounts mode without TARGET_ACCOUNTS: a scan that names no accounts is refused, with the reason', async () => {
  const targets = liveTargetsFromEnv(env);
  expect(targets).toMatchObject({ accounts: [], accountsRequired: true });
  const source = liveSnapshotSource(targets);
  await expect(source.capture({ config: DEFAULT_CONFIG, now: () => new Date() })).rejects.toThrow(/through the Step Functions fan-out/);
});

test('with TARGET_ACCOUNTS (no fan-out) nothing changes', () => {
  expect(liveTargetsFromEnv({ ...env, TARGET_ACCOUNTS: '444455556666' })).toEqual({ regions: ['eu-west-1'], accounts: ['444455556666'] });
  expect(liveTargetsFromEnv({ TARGET_SOURCE: 'self', TARGET_REGIONS: 'eu-west-1' })).toEqual({ regions: ['eu-west-1'], accounts: [] });
});
