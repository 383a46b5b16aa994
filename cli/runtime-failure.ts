/**
 * An error that escaped a command, as one line that says what to do: missing or refused
 * credentials, an unreachable network, a file that cannot be written. Any of these is a failure of
 * the run (exit 4), never confused with bad input (exit 2).
 */
import { RuntimeFailure } from './usage-error';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError', 'RequestTimeout']);
const FILE_CODES = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR', 'ENOTDIR', 'ENOENT', 'EMFILE', 'EEXIST']);

/** The one line for an error that escaped a command. */
export function explainRuntimeFailure(error: unknown): string {
  if (error instanceof RuntimeFailure) return error.message;
  const e = error as { name?: string; code?: string; message?: string; syscall?: string; path?: string };
  const message = e?.message ?? String(error);
  if (e?.name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(e?.name ?? '')) {
    return `no AWS credentials (${message}): set AWS_PROFILE, run aws sso login / aws configure, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AccessDenied', 'AccessDeniedException'].includes(e?.name ?? '')) {
    return `AWS refused the credentials (${e.name}: ${message}): refresh them (aws sso login) or check the profile and its permissions`;
  }
  if (e?.code && NETWORK_CODES.has(e.code)) return `network failure (${message}): check the connection, proxy and any AWS_ENDPOINT_URL override, then run again`;
  if (e?.name && NETWORK_CODES.has(e.name)) return `network failure (${message}): check the connection, proxy and any AWS_ENDPOINT_URL override, then run again`;
  if (e?.code && FILE_CODES.has(e.code)) return `cannot ${e.syscall ?? 'access'} ${e.path ?? 'a file'} (${e.code}): check the path exists and is writable, and the disk has room`;
  return `unexpected error: ${message} (run again; if it persists, report it with the command line)`;
}
