/**
 * The MAC of Synapse's shared-secret registration (`/_synapse/admin/v1/register`), so admin tools
 * written for Synapse (`register_new_matrix_user`, test harnesses) work unchanged: HMAC-SHA1 keyed
 * with the shared secret over `nonce \0 username \0 password \0 admin|notadmin [\0 user_type]`,
 * in lower-case hex.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The fields the MAC covers, exactly as the client sent them. */
export interface RegistrationMacFields {
  readonly nonce: string;
  readonly username: string;
  readonly password: string;
  readonly admin: boolean;
  readonly userType?: string;
}

/** The expected MAC as lower-case hex. */
export function registrationMac(secret: string, f: RegistrationMacFields): string {
  const hmac = createHmac('sha1', Buffer.from(secret, 'utf8'));
  hmac.update(f.nonce, 'utf8');
  hmac.update('\u0000');
  hmac.update(f.username, 'utf8');
  hmac.update('\u0000');
  hmac.update(f.password, 'utf8');
  hmac.update('\u0000');
  hmac.update(f.admin ? 'admin' : 'notadmin');
  if (f.userType !== undefined) {
    hmac.update('\u0000');
    hmac.update(f.userType, 'utf8');
  }
  return hmac.digest('hex');
}

/** Whether `mac` is the right MAC, compared in constant time (case-insensitively, as hex). */
export function verifyRegistrationMac(secret: string, f: RegistrationMacFields, mac: string): boolean {
  const want = Buffer.from(registrationMac(secret, f), 'ascii');
  const got = Buffer.from(mac.toLowerCase(), 'ascii');
  return got.length === want.length && timingSafeEqual(got, want);
}
