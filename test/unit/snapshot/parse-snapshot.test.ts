import { parseSnapshot, SnapshotError, toJsonPath } from '../../../lambdas/core/snapshot/parse-snapshot';
import { compliantEstate } from '../../support/estate-builder';

function problemOf(text: string): SnapshotError {
  try {
    parseSnapshot(text, 'estate.json');
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('expected the snapshot to be rejected');
}

const valid = () => compliantEstate().snapshot() as unknown as Record<string, any>;

describe('parseSnapshot', () => {
  it('accepts a well-formed snapshot and keeps fields it does not know', () => {
    const data = valid();
    data.targets[0].ec2.Subnets[0].OwnerId = '111122223333';
    const parsed = parseSnapshot(JSON.stringify(data), 'estate.json');
    expect(parsed.targets[0]!.ec2.Subnets[0]).toMatchObject({ OwnerId: '111122223333' });
  });

  it('defaults a missing errors list to empty', () => {
    const data = valid();
    delete data.targets[0].errors;
    expect(parseSnapshot(JSON.stringify(data), 'x').targets[0]!.errors).toEqual([]);
  });

  it.each<[string, (d: Record<string, any>) => void, string]>([
    ['wrong format name', (d) => (d.format = 'redis-compliance/snapshot@2'), '$.format'],
    ['bad capture time', (d) => (d.capturedAt = 'yesterday'), '$.capturedAt'],
    ['short account id', (d) => (d.targets[0].accountId = '1234'), '$.targets[0].accountId'],
    ['subnet without id', (d) => delete d.targets[0].ec2.Subnets[1].SubnetId, '$.targets[0].ec2.Subnets[1].SubnetId'],
    ['missing SSM section', (d) => delete d.targets[0].ssm, '$.targets[0].ssm'],
    ['string where a number belongs', (d) => (d.targets[0].ec2.Volumes[2].Size = '20'), '$.targets[0].ec2.Volumes[2].Size'],
    ['inventory content not strings', (d) => (d.targets[0].ssm.Entities[0].Data['AWS:Application'].Content[0].Version = 7), '$.targets[0].ssm.Entities[0].Data["AWS:Application"].Content[0].Version'],
  ])('rejects %s, naming the file and the JSON path', (_name, damage, path) => {
    const data = valid();
    damage(data);
    const error = problemOf(JSON.stringify(data));
    expect(error.jsonPath).toBe(path);
    expect(error.message).toContain('estate.json');
    expect(error.message).toContain(path);
  });

  it('rejects text that is not JSON', () => {
    const error = problemOf('{"format": ');
    // The path of the value the text stops in.
    expect(error.jsonPath).toBe('$.format');
    expect(error.message).toMatch(/not valid JSON/);
  });
});

describe('toJsonPath', () => {
  it('quotes keys that are not identifiers', () => {
    expect(toJsonPath(['a', 0, 'b-c', 'd'])).toBe('$.a[0]["b-c"].d');
  });
});
