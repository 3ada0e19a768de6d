/** Logs devices out: deletes them with every token bound to them. */
import type { PerformDeviceDeletionRequest, PerformDeviceDeletionResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** Deletes the listed devices (all when none are listed) but `exceptDeviceId`; returns those that existed. */
export async function performDeviceDeletion(ctx: UserInternalContext, req: PerformDeviceDeletionRequest): Promise<PerformDeviceDeletionResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { deletedDeviceIds: [] };
  const deleted = await ctx.storage.deleteDevices(localpart, req.deviceIds, req.exceptDeviceId);
  if (deleted.length > 0) ctx.tokenCache.forgetUser(req.userId, deleted);
  // Each deleted device is a key change, queued in the deleting transaction: publish it.
  if (deleted.length > 0) await ctx.flushOutbox();
  return { deletedDeviceIds: deleted };
}
