/**
 * nextToken: base64url of DynamoDB's LastEvaluatedKey. Opaque to clients, and checked when it comes
 * back: it must decode to exactly the key attributes of the queried table or index, all strings, and
 * belong to the partition being queried, each value within DynamoDB's key size limits (a partition
 * key of at most 2,048 bytes, a sort key of at most 1,024 bytes, UTF-8: DynamoDB Developer Guide,
 * "Quotas in Amazon DynamoDB", Attributes), so a forged key never reaches DynamoDB as a request it
 * would refuse. Anything else is an InvalidNextTokenError (an API 400).
 */
import { InvalidNextTokenError } from './findings-store';

const MAX_TOKEN_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

export function encodePageToken(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * @param expectedAttributes the key attributes of the table plus those of the index (if any).
 * @param partition the partition attribute and value of the query the token must continue.
 * @param sort the sort attribute and the prefix its values have in that query (when it has one).
 * @param sortAttributes which of `expectedAttributes` are sort keys (of the table or the index); the others are partition keys.
 */
export function decodePageToken(
  token: string,
  expectedAttributes: readonly string[],
  partition: { attribute: string; value: string },
  sort?: { attribute: string; prefix: string },
  sortAttributes: readonly string[] = [],
): Record<string, string> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) throw new InvalidNextTokenError('not a token issued by this API');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidNextTokenError('not a token issued by this API');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new InvalidNextTokenError('not a token issued by this API');
  const entries = Object.entries(decoded);
  const expected = new Set(expectedAttributes);
  if (entries.length !== expected.size || entries.some(([k, v]) => !expected.has(k) || typeof v !== 'string' || v.length === 0 || v.length > 2048)) {
    throw new InvalidNextTokenError('it does not belong to this listing');
  }
  for (const [attribute, value] of entries) {
    const limit = sortAttributes.includes(attribute) ? MAX_SORT_KEY_BYTES : MAX_PARTITION_KEY_BYTES;
    if (Buffer.byteLength(value as string, 'utf8') > limit) throw new InvalidNextTokenError(`a key in it is longer than DynamoDB allows (${limit} bytes)`);
  }
  const key = decoded as Record<string, string>;
  if (key[partition.attribute] !== partition.value) throw new InvalidNextTokenError('it belongs to another listing');
  if (sort && !key[sort.attribute]!.startsWith(sort.prefix)) throw new InvalidNextTokenError('it belongs to another listing');
  return key;
}
