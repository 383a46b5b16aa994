import { captureOptionsFrom } from '../../cli/live-capture-options';
import { UsageError } from '../../cli/usage-error';
import { DEFAULT_CONFIG } from '../../lambdas/core/config';

describe('live capture flags', () => {
  it('pass the concurrency limits and attempts through as numbers', () => {
    const options = captureOptionsFrom({ regions: 'eu-west-1, us-east-1', concurrency: '2', maxAttempts: '7', inventoryConcurrency: '12' }, DEFAULT_CONFIG);
    expect(options).toMatchObject({ regions: ['eu-west-1', 'us-east-1'], concurrency: 2, maxAttempts: 7, inventoryConcurrency: 12 });
  });

  it.each([
    [{ regions: 'eu-west-1', inventoryConcurrency: '0' }, '--inventory-concurrency must be a positive integer'],
    [{ regions: 'eu-west-1', concurrency: 'many' }, '--concurrency must be a positive integer'],
    [{}, '--regions is required'],
    [{ regions: 'eu-west-1', accounts: '111122223333', accountsFile: 'a.txt' }, 'not both'],
  ])('reject %j', (flags, message) => {
    expect(() => captureOptionsFrom(flags, DEFAULT_CONFIG)).toThrow(UsageError);
    expect(() => captureOptionsFrom(flags, DEFAULT_CONFIG)).toThrow(message);
  });
});
