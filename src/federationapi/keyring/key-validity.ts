/**
 * When a server's key may be used (room version 5's "signing key validity period", and the
 * difference between current and old keys). Pure functions, so the key ring and every caller
 * checking event signatures apply the same rule.
 */
import type { RoomVersion } from '../../matrix/room-version.js';
import { effectiveValidUntil } from '../../matrix/server-keys.js';

/** A key's validity as the key ring reports it. */
export interface KeyValidity {
  /**
   * Until when the key may be used: for a current key the lesser of the response's
   * `valid_until_ts` and seven days after it was fetched; for an old key its `expired_ts`.
   */
  readonly validUntilTs: number;
  /** Whether the key was listed in `old_verify_keys` (usable for events only, never requests). */
  readonly old: boolean;
}

/** What a caller needs of a key. */
export interface KeyRequirement {
  /**
   * The time the signature was made (an event's `origin_server_ts`), or undefined for a signature
   * made now (a request): old keys are only accepted with a time.
   */
  readonly atTs: number | undefined;
  /** The key must be usable until at least this time (0: any known key will do). */
  readonly minimumValidUntilTs: number;
}

/** The validity of a stored key: raw response fields in, the rule of {@link KeyValidity} out. */
export function keyValidity(validUntilTs: number, fetchedAt: number, expiredTs: number | undefined): KeyValidity {
  if (expiredTs !== undefined) return { validUntilTs: expiredTs, old: true };
  return { validUntilTs: effectiveValidUntil(validUntilTs, fetchedAt), old: false };
}

/** Whether a key meets a requirement. */
export function keySatisfies(key: KeyValidity, req: KeyRequirement): boolean {
  if (key.old && req.atTs === undefined) return false;
  return key.validUntilTs >= req.minimumValidUntilTs;
}

/**
 * What checking an event's signature needs of the key: room versions 1–4 ignore
 * `valid_until_ts` (spec: it "MUST be ignored"), v5+ need it to be at least the event's
 * `origin_server_ts`.
 */
export function keyRequirementForEvent(rv: RoomVersion, originServerTs: number): KeyRequirement {
  return { atTs: originServerTs, minimumValidUntilTs: rv.enforceKeyValidity ? originServerTs : 0 };
}

/** Whether `key` may check the signature of an event of room version `rv` sent at `originServerTs`. */
export function isKeyValidForEvent(rv: RoomVersion, key: KeyValidity, originServerTs: number): boolean {
  return keySatisfies(key, keyRequirementForEvent(rv, originServerTs));
}
