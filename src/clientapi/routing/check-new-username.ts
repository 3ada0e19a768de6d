/**
 * The checks a requested username passes before an account is made for it, in the order the
 * spec's errors imply: valid (M_INVALID_USERNAME), not in an application service's exclusive
 * namespace (M_EXCLUSIVE), not taken (M_USER_IN_USE). `/register` runs them before UIA, as the
 * spec requires, and `/register/available` answers with them.
 */
import { randomInt } from 'node:crypto';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { checkNewUserLocalpart } from '../../matrix/ids/localpart.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** A username that passed: its localpart and full user ID. */
export interface CheckedUsername {
  readonly localpart: string;
  readonly userId: string;
}

/**
 * Numeric localparts are reserved for IDs the server makes up (guests, registrations without a
 * username), so a generated ID can never collide with a chosen one.
 */
const NUMERIC = /^[0-9]+$/;

/** Lower-cases `username` (the spec has servers downcase) and checks it. */
export async function checkNewUsername(deps: ClientRouteDeps, username: string): Promise<CheckedUsername> {
  const localpart = username.toLowerCase();
  const checked = checkNewUserLocalpart(localpart, deps.config.server_name);
  if (!checked.ok) throw MatrixError.invalidUsername(checked.reason);
  if (NUMERIC.test(localpart)) throw MatrixError.invalidUsername('Numeric usernames are reserved for generated accounts');
  const userId = checked.value;
  if (deps.isExclusiveUserId?.(userId)) throw MatrixError.exclusive('This username is reserved by an application service');
  const { available } = await deps.userApi.queryAccountAvailability({ localpart });
  if (!available) throw MatrixError.userInUse('This username is already taken');
  return { localpart, userId };
}

/** A fresh numeric localpart that is not taken (guests, registrations without a username). */
export async function generateLocalpart(deps: ClientRouteDeps): Promise<CheckedUsername> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const localpart = String(randomInt(1_000_000_000, 10_000_000_000));
    const { available } = await deps.userApi.queryAccountAvailability({ localpart });
    if (available) return { localpart, userId: `@${localpart}:${deps.config.server_name}` };
  }
  throw MatrixError.internal('Could not find a free user ID');
}
