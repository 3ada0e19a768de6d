/**
 * `queryRemoteKeys`: another server's users' device and cross-signing keys for `/keys/query`.
 * Users whose device list we track (`remote-device-lists.ts`) are answered from the cache, as
 * Synapse does; the others are asked of their server with `POST /user/keys/query` within the
 * request's timeout. The answer is untrusted: only keys of the users (and devices) asked for,
 * naming themselves correctly, are passed on.
 */
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../matrix/json.js';
import type { QueryRemoteKeysRequest, QueryRemoteKeysResponse } from '../api.js';
import type { RemoteDeviceList } from '../storage/remote-device-lists-table.js';
import type { FederationInternalContext } from './federation-internal-context.js';
import { noServerCouldError, requireClient } from './remote-servers.js';

type ByUser = Record<string, JsonObject>;

/** The spec's recommended wait for a remote server's keys (10 s) when the request gives none. */
export const DEFAULT_REMOTE_KEYS_TIMEOUT_MS = 10_000;

/** Answers from the cache where it can, from the server for the rest. */
export async function queryRemoteKeys(ctx: FederationInternalContext, req: QueryRemoteKeysRequest): Promise<QueryRemoteKeysResponse> {
  const asked = Object.entries(req.deviceKeys).filter(([userId]) => domainOf(userId) === req.server && req.server !== ctx.serverName);
  const deviceKeys: Record<string, ByUser> = {};
  const masterKeys: ByUser = {};
  const selfSigningKeys: ByUser = {};
  const cached = ctx.deviceLists ? await ctx.deviceLists.usableLists(asked.map(([userId]) => userId)) : new Map<string, RemoteDeviceList>();
  const rest: Record<string, string[]> = {};
  for (const [userId, wanted] of asked) {
    const list = cached.get(userId);
    if (!list) {
      rest[userId] = [...wanted];
      continue;
    }
    deviceKeys[userId] = cachedDeviceKeys(list, wanted);
    if (list.masterKey) masterKeys[userId] = list.masterKey;
    if (list.selfSigningKey) selfSigningKeys[userId] = list.selfSigningKey;
  }
  if (Object.keys(rest).length > 0) {
    let answer: unknown;
    try {
      answer = await requireClient(ctx).request<unknown>({
        method: 'POST',
        destination: req.server,
        path: '/_matrix/federation/v1/user/keys/query',
        body: { device_keys: rest },
        timeoutMs: req.timeoutMs ?? DEFAULT_REMOTE_KEYS_TIMEOUT_MS,
      });
    } catch (e) {
      throw noServerCouldError('query keys', [req.server], e);
    }
    if (!isJsonObject(answer)) throw noServerCouldError('query keys', [req.server], new Error('the answer is not an object'));
    const theirDevices = isJsonObject(answer.device_keys) ? answer.device_keys : {};
    for (const [userId, wanted] of Object.entries(rest)) {
      deviceKeys[userId] = checkedDeviceKeys(userId, theirDevices[userId], wanted);
      const master = ownKey(userId, isJsonObject(answer.master_keys) ? answer.master_keys[userId] : undefined);
      if (master) masterKeys[userId] = master;
      const selfSigning = ownKey(userId, isJsonObject(answer.self_signing_keys) ? answer.self_signing_keys[userId] : undefined);
      if (selfSigning) selfSigningKeys[userId] = selfSigning;
    }
  }
  return { deviceKeys, masterKeys, selfSigningKeys };
}

/** A cached list's device keys as `/keys/query` serves them (display names in `unsigned`). */
function cachedDeviceKeys(list: RemoteDeviceList, wanted: readonly string[]): ByUser {
  const out: ByUser = {};
  for (const [deviceId, device] of Object.entries(list.devices)) {
    if (!device.keys || (wanted.length > 0 && !wanted.includes(deviceId))) continue;
    const unsigned = isJsonObject(device.keys.unsigned) ? device.keys.unsigned : {};
    out[deviceId] = device.displayName !== null ? { ...device.keys, unsigned: { ...unsigned, device_display_name: device.displayName } } : device.keys;
  }
  return out;
}

/** The devices of `userId` in a server's answer that name themselves correctly and were asked for. */
function checkedDeviceKeys(userId: string, devices: JsonValue | undefined, wanted: readonly string[]): ByUser {
  const out: ByUser = {};
  if (!isJsonObject(devices)) return out;
  for (const [deviceId, keys] of Object.entries(devices)) {
    if (!isJsonObject(keys) || keys.user_id !== userId || keys.device_id !== deviceId) continue;
    if (wanted.length > 0 && !wanted.includes(deviceId)) continue;
    out[deviceId] = keys;
  }
  return out;
}

/** A cross-signing key, when it is `userId`'s. */
function ownKey(userId: string, key: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(key) && key.user_id === userId ? key : undefined;
}
