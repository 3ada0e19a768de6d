/**
 * Password hashing. New hashes are argon2id (OWASP's parameters, below — the one place they
 * live until the config carries them); verification also accepts the bcrypt hashes of accounts
 * imported from Synapse. Both run off the event loop (argon2 on libuv's thread pool, bcryptjs in
 * small async slices). Passwords are NFKC-normalised first, as Synapse does, so imported
 * passwords typed with another Unicode form still match.
 */
import { argon2id, hash as argon2Hash, verify as argon2Verify } from 'argon2';
import bcrypt from 'bcryptjs';

/** argon2id parameters: 19 MiB, 2 passes, 1 lane (OWASP password storage cheat sheet). */
export const ARGON2_PARAMS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a new password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(normalise(password), ARGON2_PARAMS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown user, no password, deactivated)
 * it still verifies against a dummy argon2id hash, so such answers take as long as a wrong
 * password and do not reveal which accounts exist.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const pw = normalise(password);
  if (!stored) {
    dummyHash ??= argon2Hash('dummy password that matches nothing', ARGON2_PARAMS);
    await argon2Verify(await dummyHash, pw);
    return false;
  }
  try {
    if (stored.startsWith('$argon2')) return await argon2Verify(stored, pw);
    if (/^\$2[aby]\$/.test(stored)) return await bcrypt.compare(pw, stored);
  } catch {
    return false; // a corrupt stored hash matches nothing
  }
  // An unknown scheme never matches, after the same work as a real check.
  await verifyPassword(pw, null);
  return false;
}
