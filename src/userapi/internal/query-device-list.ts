/** A local user's device list as other servers fetch it (federation `/user/devices/{userId}`). */
import type { QueryDeviceListRequest, QueryDeviceListResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Viewer of the keys served: nobody in particular, so only what any other user may see (no
 * user-signing key, no private signatures).
 */
const ANY_VIEWER = '';

/**
 * The user's devices with keys, their cross-signing keys, and the `stream_id` to resume from.
 * The position is read first: a change committing between the reads then shows in the devices
 * and again as an update whose `prev_id` we hold, rather than being skipped.
 */
export async function queryDeviceList(ctx: UserInternalContext, req: QueryDeviceListRequest): Promise<QueryDeviceListResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { streamId: 0, devices: [], masterKey: null, selfSigningKey: null };
  const streamId = await ctx.storage.e2eKeys.getUserLatestKeyChangePosition(req.userId);
  const names = new Map((await ctx.storage.getDevices(localpart)).map((d) => [d.deviceId, d.displayName]));
  const keys = await ctx.storage.e2eKeys.getDeviceKeys(req.userId, undefined, ANY_VIEWER);
  const devices = [...keys]
    .filter(([deviceId]) => names.has(deviceId))
    .map(([deviceId, k]) => ({ deviceId, keys: k, displayName: names.get(deviceId) ?? null }))
    .sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  const cross = (await ctx.storage.e2eKeys.getCrossSigningKeys([req.userId], ANY_VIEWER)).get(req.userId);
  return { streamId, devices, masterKey: cross?.master ?? null, selfSigningKey: cross?.self_signing ?? null };
}
