/**
 * Real ed25519 keys for the E2EE key suites: device keys and cross-signing keys signed the way
 * clients sign them (`sign-json.ts`), so the server's checks run on genuine signatures.
 */
import type { JsonObject } from '../../src/matrix/json.js';
import { jsonSignature, withSignature } from '../../src/matrix/sign-json.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';

/** A fresh ed25519 key pair. */
export const newKey = (): SigningKey => generateSigningKey('k');

/** `obj` with `signer`'s signature by `ed25519:<keyName>` added. */
export function signAs<T extends JsonObject>(obj: T, signer: string, keyName: string, key: SigningKey): T {
  return { ...obj, signatures: withSignature(obj.signatures, signer, `ed25519:${keyName}`, jsonSignature(obj, key)) };
}

/** A device's `DeviceKeys`, self-signed with `key`. */
export function deviceKeysFor(userId: string, deviceId: string, key: SigningKey, curve = `curve-${deviceId}`): JsonObject {
  const keys: JsonObject = {
    user_id: userId,
    device_id: deviceId,
    algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
    keys: { [`curve25519:${deviceId}`]: curve, [`ed25519:${deviceId}`]: key.publicKeyBase64 },
  };
  return signAs(keys, userId, deviceId, key);
}

/** An unsigned cross-signing key of `userId` for `usage`. */
export function crossSigningKey(userId: string, usage: string, key: SigningKey): JsonObject {
  return { user_id: userId, usage: [usage], keys: { [`ed25519:${key.publicKeyBase64}`]: key.publicKeyBase64 } };
}

/** A user's three cross-signing keys, the self-signing and user-signing ones signed by the master. */
export interface CrossSigningSet {
  readonly masterKey: SigningKey;
  readonly sskKey: SigningKey;
  readonly uskKey: SigningKey;
  readonly master: JsonObject;
  readonly selfSigning: JsonObject;
  readonly userSigning: JsonObject;
}

export function crossSigningSet(userId: string): CrossSigningSet {
  const masterKey = newKey();
  const sskKey = newKey();
  const uskKey = newKey();
  const m = masterKey.publicKeyBase64;
  return {
    masterKey,
    sskKey,
    uskKey,
    master: crossSigningKey(userId, 'master', masterKey),
    selfSigning: signAs(crossSigningKey(userId, 'self_signing', sskKey), userId, m, masterKey),
    userSigning: signAs(crossSigningKey(userId, 'user_signing', uskKey), userId, m, masterKey),
  };
}
