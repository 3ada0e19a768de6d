/** `POST /pushers/set`: creates, replaces or deletes one of a user's pushers. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, PerformPusherSetRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Sets the pusher `appId`/`pushkey` of the user, stamped with the current time and the device
 * whose session asked (so it goes when that device is deleted), or deletes it when `pusher` is
 * null (deleting one that does not exist is not an error: the outcome is the same). The request
 * is validated by the caller (the clientapi route).
 * @throws MatrixError `M_FORBIDDEN` for a user of another server.
 */
export async function performPusherSet(ctx: UserInternalContext, req: PerformPusherSetRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) throw MatrixError.forbidden(`${req.userId} is not a user of this server`);
  if (req.pusher === null) {
    await ctx.storage.pushers.deletePusher(localpart, req.appId, req.pushkey);
    return {};
  }
  const pusher = { ...req.pusher, appId: req.appId, pushkey: req.pushkey, pushkeyTs: ctx.now(), deviceId: req.deviceId };
  await ctx.storage.pushers.setPusher(localpart, pusher, req.append);
  return {};
}
