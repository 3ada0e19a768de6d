/**
 * The profile as clients see it, built from the stored columns, and the spec's limits on it
 * (v1.16: the whole profile under 64 KiB, keys at most 255 bytes).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { canonicalJsonByteLength } from '../../matrix/canonical-json.js';
import type { JsonValue } from '../../matrix/json.js';
import type { ProfileFields } from '../api.js';
import type { ProfileContent } from '../storage/index.js';

/** Largest profile, as canonical JSON bytes. */
export const MAX_PROFILE_BYTES = 65_536;
/** Longest profile key, in UTF-8 bytes. */
export const MAX_PROFILE_KEY_BYTES = 255;
/** Synapse's limits on the two classic fields: both are copied into every membership event. */
export const MAX_DISPLAYNAME_LENGTH = 256;
export const MAX_AVATAR_URL_LENGTH = 1000;

/** The profile object: `displayname` and `avatar_url` when set, then the custom fields. */
export function profileFields(p: ProfileContent): ProfileFields {
  const out: Record<string, unknown> = {};
  if (p.displayname !== null) out.displayname = p.displayname;
  if (p.avatarUrl !== null) out.avatar_url = p.avatarUrl;
  return { ...out, ...p.custom };
}

/** The profile with `field` set to `value`, or removed when `remove`; checked against the limits. */
export function withField(current: ProfileContent, field: string, value: unknown, remove: boolean): ProfileContent {
  if (Buffer.byteLength(field, 'utf8') > MAX_PROFILE_KEY_BYTES) throw MatrixError.keyTooLarge();
  let next: ProfileContent;
  if (field === 'displayname') next = { ...current, displayname: remove ? null : classicValue(field, value) };
  else if (field === 'avatar_url') next = { ...current, avatarUrl: remove ? null : classicValue(field, value) };
  else {
    const custom = { ...current.custom };
    if (remove) delete custom[field];
    else custom[field] = value;
    next = { ...current, custom };
  }
  // Removing never grows the profile, and must work even on one that is somehow over the limit.
  if (!remove && canonicalJsonByteLength(profileFields(next) as JsonValue) > MAX_PROFILE_BYTES) throw MatrixError.profileTooLarge();
  return next;
}

function classicValue(field: 'displayname' | 'avatar_url', value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw MatrixError.invalidParam(`${field} must be a string`);
  const max = field === 'displayname' ? MAX_DISPLAYNAME_LENGTH : MAX_AVATAR_URL_LENGTH;
  if (value.length > max) throw MatrixError.invalidParam(`${field} is too long (at most ${max} characters)`);
  return value;
}
