/**
 * Random secrets and how they are stored. Tokens carry 256 random bits behind a short prefix
 * (so secret scanners and logs can tell what leaked); the database only ever sees their SHA-256.
 * Looking a hash up by index compares nothing secret in user code, so no timing leaks the token.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** What a token is for; the prefix it gets. */
export const TOKEN_PREFIX = {
  access: 'axa_',
  refresh: 'axr_',
  login: 'axl_',
  openid: 'axo_',
} as const;

/** A new random token: the prefix and 32 random bytes in unpadded base64url. */
export function newSecretToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The stored form of a secret: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A random string over `alphabet` (uniform: `randomInt` rejects biased draws). */
export function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A new device ID: ten capital letters, as Synapse makes them. */
export function newDeviceId(): string {
  return randomString(10, UPPER);
}
