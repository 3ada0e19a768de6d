/** Reading and changing profiles. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformProfileUpdateRequest, PerformProfileUpdateResponse, QueryProfileRequest, QueryProfileResponse } from '../api.js';
import { profileFields, withField } from './profile-fields.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

const ATTEMPTS = 10;

/** `found` false for unknown and remote users and for erased accounts. */
export async function queryProfile(ctx: UserInternalContext, req: QueryProfileRequest): Promise<QueryProfileResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const stored = localpart === undefined ? undefined : await ctx.storage.getProfile(localpart);
  return stored ? { found: true, profile: profileFields(stored) } : { found: false, profile: {} };
}

/**
 * Sets or removes one field and returns the whole new profile. A compare-and-set on the
 * profile's version keeps two concurrent edits of different fields from losing one.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown user, `M_KEY_TOO_LARGE`, `M_PROFILE_TOO_LARGE`,
 *   `M_INVALID_PARAM` for a non-string or too long `displayname`/`avatar_url`, `M_BAD_JSON` for
 *   a value canonical JSON cannot carry (floats).
 */
export async function performProfileUpdate(ctx: UserInternalContext, req: PerformProfileUpdateRequest): Promise<PerformProfileUpdateResponse> {
  const localpart = localpartOf(ctx, req.userId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = localpart === undefined ? undefined : await ctx.storage.getProfile(localpart);
    if (!current || localpart === undefined) throw MatrixError.notFound(`Unknown user ${req.userId}`);
    const next = withField(current, req.field, req.value, req.remove === true);
    if (await ctx.storage.replaceProfile(localpart, next, current.version)) return { profile: profileFields(next) };
  }
  throw MatrixError.unavailable('The profile is being changed by another request; try again');
}
