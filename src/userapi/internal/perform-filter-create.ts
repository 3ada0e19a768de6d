/** Storing a `/sync` filter a user uploaded (`POST /user/{userId}/filter`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { canonicalJson } from '../../matrix/canonical-json.js';
import { isJsonObject } from '../../matrix/json.js';
import type { PerformFilterCreateRequest, PerformFilterCreateResponse } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * Stores the filter as canonical JSON and returns its ID; the same filter (keys in any order)
 * stored again returns the same ID. Checking it against the spec's schema is the caller's job
 * (the clientapi runs `parseSyncFilter`): this only insists on a JSON object.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown user, `M_USER_DEACTIVATED`, `M_BAD_JSON` for a non-object.
 */
export async function performFilterCreate(ctx: UserInternalContext, req: PerformFilterCreateRequest): Promise<PerformFilterCreateResponse> {
  if (!isJsonObject(req.filter)) throw MatrixError.badJson('The filter must be a JSON object');
  const account = await requireActiveAccount(ctx, req.userId);
  // Lenient: unknown keys may carry floats, which strict canonical JSON (an event rule) refuses.
  const json = canonicalJson(req.filter, { strict: false });
  return { filterId: await ctx.storage.putFilter(account.localpart, json) };
}
