import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READER_IAM_ACTIONS } from '../../lambdas/adapters/collectors/reader-iam-actions';

describe('README least-privilege list', () => {
  it('names exactly the actions the collectors call', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Least privilege'), readme.indexOf('## Tag conventions'));
    const listed = [...section.matchAll(/`((?:ec2|ssm|cloudwatch|inspector2):[A-Za-z]+)`/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...READER_IAM_ACTIONS].sort());
  });
});
