/**
 * What a failed fetch() says about why: Node's fetch rejects with `TypeError: fetch failed` and puts
 * the reason in `cause` (a system error with a `code` such as ECONNREFUSED or ENOTFOUND, an
 * AggregateError of one per address tried, or an Error such as "unexpected redirect"). This reads
 * that chain into one line, so an error message keeps the cause instead of "fetch failed".
 * Duck-typed: fetch's errors may come from another realm, where instanceof Error is false.
 */

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

const CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9" or "unexpected redirect"; undefined when the error carries no cause. */
export function networkErrorCause(error: unknown): string | undefined {
  let cause = asErrorLike(asErrorLike(error)?.cause);
  // An AggregateError (one attempt per address) says it through its first error.
  for (let depth = 0; cause !== undefined && depth < 4; depth++) {
    const first = Array.isArray(cause.errors) ? asErrorLike(cause.errors[0]) : undefined;
    const code = typeof cause.code === 'string' && CODE.test(cause.code) ? cause.code : typeof first?.code === 'string' && CODE.test(first.code) ? first.code : undefined;
    const message = oneLine(cause.message) ?? oneLine(first?.message);
    if (code !== undefined || message !== undefined) return code !== undefined && message !== undefined && !message.startsWith(code) ? `${code}: ${message}` : (message ?? code);
    cause = asErrorLike(cause.cause);
  }
  return undefined;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

function oneLine(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text === '' ? undefined : text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
