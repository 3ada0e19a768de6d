/** `/keys/upload`: a device publishes its identity keys, one-time keys and fallback keys. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { KeysByKeyId, PerformUploadKeysRequest, PerformUploadKeysResponse } from '../api.js';
import { algorithmOf } from '../storage/one-time-keys-table.js';
import { checkDeviceKeys } from './key-json.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Stores the keys of the requester's device. Device keys must be the device's own and signed by
 * it; a device that already has identity keys may re-upload them (new signatures, algorithms)
 * but not change them — Synapse refuses that too (element-hq/synapse#18511), since clients
 * ignore a changed ed25519 key anyway. A one-time key ID uploaded again must carry the same key.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown device, `M_INVALID_PARAM` /
 *   `M_INVALID_SIGNATURE` for keys that fail the checks (nothing is stored then).
 */
export async function performUploadKeys(ctx: UserInternalContext, req: PerformUploadKeysRequest): Promise<PerformUploadKeysResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const [device] = localpart === undefined ? [] : await ctx.storage.getDevices(localpart, [req.deviceId]);
  if (!device) throw MatrixError.unknownDevice();
  const deviceKeys = req.deviceKeys === undefined ? undefined : checkDeviceKeys(req.deviceKeys, req.userId, req.deviceId);
  const outcome = await ctx.storage.e2eKeys.uploadKeys({
    userId: req.userId,
    deviceId: req.deviceId,
    displayName: device.displayName,
    ...(deviceKeys ? { deviceKeys } : {}),
    ...(req.oneTimeKeys ? { oneTimeKeys: checkKeyMap(req.oneTimeKeys, 'one_time_keys') } : {}),
    ...(req.fallbackKeys ? { fallbackKeys: checkFallbackKeys(req.fallbackKeys) } : {}),
  });
  if (outcome.kind === 'device-keys-differ') {
    throw MatrixError.invalidParam(`Device ${req.deviceId} already has different identity keys; log in as a new device instead`);
  }
  if (outcome.kind === 'one-time-key-differs') throw MatrixError.invalidParam(`One-time key ${outcome.keyId} already exists with other content`);
  if (deviceKeys) await ctx.flushOutbox();
  return { oneTimeKeyCounts: outcome.oneTimeKeyCounts };
}

/** Key IDs must be `<algorithm>:<key id>`, keys strings or objects. */
function checkKeyMap(keys: unknown, field: string): KeysByKeyId {
  if (!isJsonObject(keys)) throw MatrixError.invalidParam(`${field} must be an object`);
  for (const [keyId, key] of Object.entries(keys)) {
    const colon = keyId.indexOf(':');
    if (colon <= 0 || colon === keyId.length - 1) throw MatrixError.invalidParam(`${field}: key ID ${keyId} is not <algorithm>:<key id>`);
    if (typeof key !== 'string' && !isJsonObject(key)) throw MatrixError.invalidParam(`${field}: key ${keyId} must be a string or an object`);
  }
  return keys;
}

/** As {@link checkKeyMap}, with at most one key per algorithm (the spec keeps one). */
function checkFallbackKeys(keys: unknown): JsonObject {
  const checked = checkKeyMap(keys, 'fallback_keys') as JsonObject;
  const algorithms = Object.keys(checked).map(algorithmOf);
  if (new Set(algorithms).size !== algorithms.length) throw MatrixError.invalidParam('fallback_keys: at most one key per algorithm');
  return checked;
}
