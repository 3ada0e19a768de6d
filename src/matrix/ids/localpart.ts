/**
 * Checking a localpart a user asks for at registration. Stricter than parsing: new user IDs must
 * use the current grammar, which in particular means lower case only (the spec has servers
 * downcase, so `@USER` can never be a different person from `@user`).
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, type IdResult } from './id-result.js';
import { USER_LOCALPART } from './user-id.js';

/**
 * Checks `localpart` for a new account on `serverName` and returns the full user ID.
 * The caller lower-cases the requested name first if it wants to be forgiving.
 */
export function checkNewUserLocalpart(localpart: string, serverName: string): IdResult<string> {
  if (localpart.length === 0) return invalid('The username must not be empty');
  if (/[A-Z]/.test(localpart)) return invalid('The username must be lower case');
  if (!USER_LOCALPART.test(localpart)) {
    return invalid('The username may only contain a-z, 0-9, ".", "_", "=", "-", "/" and "+"');
  }
  const userId = `@${localpart}:${serverName}`;
  if (byteLength(userId) > MAX_ID_BYTES) return invalid(`The user ID would be longer than ${MAX_ID_BYTES} bytes`);
  return ok(userId);
}
