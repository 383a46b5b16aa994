/**
 * nextToken: base64url of DynamoDB's LastEvaluatedKey. Opaque to clients, and checked when it comes
 * back: it must decode to exactly the key attributes of the queried table or index, all strings, and
 * belong to the partition being queried. Anything else is an InvalidNextTokenError (an API 400).
 */
import { InvalidNextTokenError } from './findings-store';

const MAX_TOKEN_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodePageToken(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * @param expectedAttributes the key attributes of the table plus those of the index (if any).
 * @param partition the partition attribute and value of the query the token must continue.
 * @param sort the sort attribute and the prefix its values have in that query (when it has one).
 */
export function decodePageToken(
  token: string,
  expectedAttributes: readonly string[],
  partition: { attribute: string; value: string },
  sort?: { attribute: string; prefix: string },
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
  const key = decoded as Record<string, string>;
  if (key[partition.attribute] !== partition.value) throw new InvalidNextTokenError('it belongs to another listing');
  if (sort && !key[sort.attribute]!.startsWith(sort.prefix)) throw new InvalidNextTokenError('it belongs to another listing');
  return key;
}
