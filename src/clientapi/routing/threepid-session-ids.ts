/**
 * The grammar the spec gives the two strings of a 3PID validation session: the client's
 * `client_secret` and the server's `sid` (session ID). Both are `[0-9a-zA-Z.=_-]`, 1–255
 * characters. Checked even though Axon never opens such a session, so a malformed request gets
 * the same M_INVALID_PARAM a server with 3PID support would give it.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';

const SESSION_STRING = /^[0-9a-zA-Z.=_-]{1,255}$/;

/** True when `s` is a well-formed `sid` or `client_secret`. */
export function isSessionString(s: string): boolean {
  return SESSION_STRING.test(s);
}

/** @throws M_INVALID_PARAM (400) when `clientSecret` does not follow the spec's grammar. */
export function assertClientSecret(clientSecret: string): void {
  if (!isSessionString(clientSecret)) {
    throw MatrixError.invalidParam("Invalid 'client_secret': it must be 1–255 characters of [0-9a-zA-Z.=_-]");
  }
}
