/**
 * Password hashing. New hashes are argon2id (OWASP's parameters, below — the one place they
 * live until the config carries them); verification also accepts the bcrypt hashes of accounts
 * imported from Synapse. Both run off the event loop (argon2 on libuv's thread pool, bcryptjs in
 * small async slices). Passwords are NFKC-normalised first, as Synapse does, so imported
 * passwords typed with another Unicode form still match.
 */
import { argon2id, hash as argon2Hash, verify as argon2Verify } from 'argon2';
import bcrypt from 'bcryptjs';
import { Semaphore } from '../../internal/util/semaphore.js';

/** argon2id parameters: 19 MiB, 2 passes, 1 lane (OWASP password storage cheat sheet). */
export const ARGON2_PARAMS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most this many hashes at once: one less than libuv's thread pool (4 by default), so a login
 * burst cannot queue file reads, DNS lookups and other crypto behind argon2 (measured: a 0.3 ms
 * read waited 1.2 s behind 8 hashes).
 */
const hashing = new Semaphore(Math.max(1, Number(process.env.UV_THREADPOOL_SIZE ?? 4) - 1));

function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** Hashes a new password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => argon2Hash(normalise(password), ARGON2_PARAMS));
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
    dummyHash ??= hashing.run(() => argon2Hash('dummy password that matches nothing', ARGON2_PARAMS));
    const dummy = await dummyHash;
    await hashing.run(() => argon2Verify(dummy, pw));
    return false;
  }
  try {
    if (stored.startsWith('$argon2')) return await hashing.run(() => argon2Verify(stored, pw));
    if (/^\$2[aby]\$/.test(stored)) return await bcrypt.compare(pw, stored);
  } catch {
    return false; // a corrupt stored hash matches nothing
  }
  // An unknown scheme never matches, after the same work as a real check.
  await verifyPassword(pw, null);
  return false;
}
