/** `/keys/query` for this server's users: device keys and cross-signing keys. */
import type { JsonObject } from '../../matrix/json.js';
import { isJsonObject } from '../../matrix/json.js';
import type { QueryKeysRequest, QueryKeysResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * The keys of the local users asked for; other servers' users are left to the caller. Each
 * device key gets `unsigned.device_display_name` when the device has a name. Signatures uploaded
 * later are merged in as the requester may see them; the user-signing key only goes to its owner.
 */
export async function queryKeys(ctx: UserInternalContext, req: QueryKeysRequest): Promise<QueryKeysResponse> {
  const deviceKeys: Record<string, Record<string, JsonObject>> = {};
  const local: string[] = [];
  for (const [userId, wanted] of Object.entries(req.userIds)) {
    const localpart = localpartOf(ctx, userId);
    if (localpart === undefined) continue;
    local.push(userId);
    const deviceIds = wanted.length > 0 ? wanted : undefined;
    const names = new Map((await ctx.storage.getDevices(localpart, deviceIds)).map((d) => [d.deviceId, d.displayName]));
    const keys = await ctx.storage.e2eKeys.getDeviceKeys(userId, deviceIds, req.requestingUserId);
    const byDevice: Record<string, JsonObject> = {};
    for (const [deviceId, key] of keys) {
      const name = names.get(deviceId);
      byDevice[deviceId] = name ? { ...key, unsigned: { ...(isJsonObject(key.unsigned) ? key.unsigned : {}), device_display_name: name } } : key;
    }
    deviceKeys[userId] = byDevice;
  }
  const masterKeys: Record<string, JsonObject> = {};
  const selfSigningKeys: Record<string, JsonObject> = {};
  const userSigningKeys: Record<string, JsonObject> = {};
  for (const [userId, keys] of await ctx.storage.e2eKeys.getCrossSigningKeys(local, req.requestingUserId)) {
    if (keys.master) masterKeys[userId] = keys.master;
    if (keys.self_signing) selfSigningKeys[userId] = keys.self_signing;
    if (keys.user_signing && userId === req.requestingUserId) userSigningKeys[userId] = keys.user_signing;
  }
  return { deviceKeys, masterKeys, selfSigningKeys, userSigningKeys };
}
