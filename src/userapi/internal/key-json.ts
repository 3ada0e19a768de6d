/**
 * Checks on the key objects clients upload (spec: `DeviceKeys`, `CrossSigningKey`) shared by
 * the key operations: shape, owner, and ed25519 signatures (verified with `verify-json.ts`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { canonicalJson } from '../../matrix/canonical-json.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { verifyJsonSignature } from '../../matrix/verify-json.js';
import { crossSigningPublicKey } from '../storage/cross-signing-keys-table.js';

/** The usages a cross-signing key declares. */
export type CrossSigningUsage = 'master' | 'self_signing' | 'user_signing';

/** Whether `signer` signed `obj` with `ed25519:<keyName>` whose public key is `publicKey`. */
export function signedBy(obj: JsonObject, signer: string, keyName: string, publicKey: string): boolean {
  return verifyJsonSignature(obj, signer, `ed25519:${keyName}`, publicKey).ok;
}

/** `obj` without `signatures` and `unsigned`: what a signature covers, for comparing two uploads of a key. */
export function signedContent(obj: JsonObject): string {
  const { signatures: _s, unsigned: _u, ...rest } = obj;
  return canonicalJson(rest);
}

/** `obj` without `unsigned` (what is stored: servers add their own `unsigned` when serving). */
export function withoutUnsigned(obj: JsonObject): JsonObject {
  const { unsigned: _u, ...rest } = obj;
  return rest;
}

/**
 * Checks a device's `DeviceKeys` and returns it without `unsigned`: it names the uploading user
 * and device, lists string algorithms and keys, has the device's ed25519 key
 * (`ed25519:<device ID>`), and is signed by it.
 *
 * @throws MatrixError `M_INVALID_PARAM` for a malformed or misattributed object,
 *   `M_INVALID_SIGNATURE` when the device's own signature does not verify.
 */
export function checkDeviceKeys(keys: unknown, userId: string, deviceId: string): JsonObject {
  if (!isJsonObject(keys)) throw MatrixError.invalidParam('device_keys must be an object');
  if (keys.user_id !== userId) throw MatrixError.invalidParam('device_keys.user_id does not match the user');
  if (keys.device_id !== deviceId) throw MatrixError.invalidParam('device_keys.device_id does not match the device');
  if (!Array.isArray(keys.algorithms) || !keys.algorithms.every((a) => typeof a === 'string')) throw MatrixError.invalidParam('device_keys.algorithms must be a list of strings');
  if (!isJsonObject(keys.keys) || !Object.values(keys.keys).every((k) => typeof k === 'string')) throw MatrixError.invalidParam('device_keys.keys must map key IDs to strings');
  const ed25519 = keys.keys[`ed25519:${deviceId}`];
  if (typeof ed25519 !== 'string') throw MatrixError.invalidParam(`device_keys has no ed25519:${deviceId} key`);
  if (!signedBy(keys, userId, deviceId, ed25519)) throw MatrixError.invalidSignature('device_keys is not signed by the device’s ed25519 key');
  return withoutUnsigned(keys);
}

/**
 * Checks a cross-signing key's shape and owner and returns its public key.
 * @throws MatrixError `M_INVALID_PARAM` when it is not an object of `userId` with `usage`
 *   containing `usage` and exactly one `ed25519:<public key>` key.
 */
export function checkCrossSigningKey(key: unknown, userId: string, usage: CrossSigningUsage): string {
  const what = `the ${usage} key`;
  if (!isJsonObject(key)) throw MatrixError.invalidParam(`${what} must be an object`);
  if (key.user_id !== userId) throw MatrixError.invalidParam(`${what} does not belong to the user`);
  if (!Array.isArray(key.usage) || !key.usage.includes(usage)) throw MatrixError.invalidParam(`${what} must have usage ${usage}`);
  const pub = crossSigningPublicKey(key);
  if (pub === undefined || !isJsonObject(key.keys) || key.keys[`ed25519:${pub}`] !== pub) {
    throw MatrixError.invalidParam(`${what} must have exactly one ed25519 key, named after its public key`);
  }
  return pub;
}

/** The ed25519 key of a stored `DeviceKeys`, if it has one. */
export function deviceEd25519Key(keys: JsonObject | undefined, deviceId: string): string | undefined {
  const k = isJsonObject(keys?.keys) ? keys.keys[`ed25519:${deviceId}`] : undefined;
  return typeof k === 'string' ? k : undefined;
}
