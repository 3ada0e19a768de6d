/** `/keys/device_signing/upload`: a user publishes cross-signing keys. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import type { EmptyResponse, PerformUploadDeviceSigningKeysRequest } from '../api.js';
import { crossSigningPublicKey, type StoredCrossSigningKeys } from '../storage/cross-signing-keys-table.js';
import { checkCrossSigningKey, signedBy, withoutUnsigned } from './key-json.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Checks and stores the keys given (others stay): each names the user and its usage and has one
 * ed25519 key; the self-signing and user-signing keys must be signed by the master key — the
 * one in the request, else the stored one. A change is announced on `OutputKeyChangeEvent`.
 * UIA is the route's business (see `queryDeviceSigningUploadNeedsAuth`).
 *
 * @throws MatrixError `M_INVALID_PARAM` for a malformed key, `M_MISSING_PARAM` when there is no
 *   master key to check signatures with, `M_INVALID_SIGNATURE` for a key the master key did not
 *   sign, `M_FORBIDDEN` when a public key equals one of the user's device IDs (the spec's 403:
 *   signatures by `ed25519:<id>` could not be told apart), `M_NOT_FOUND` for an unknown user.
 */
export async function performUploadDeviceSigningKeys(ctx: UserInternalContext, req: PerformUploadDeviceSigningKeysRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) throw MatrixError.notFound('Unknown user');
  const keys: StoredCrossSigningKeys = {};
  const publicKeys: string[] = [];
  let masterPub: string | undefined;
  if (req.master !== undefined) {
    masterPub = checkCrossSigningKey(req.master, req.userId, 'master');
    publicKeys.push(masterPub);
    keys.master = withoutUnsigned(req.master);
  } else if (req.selfSigning !== undefined || req.userSigning !== undefined) {
    const stored = (await ctx.storage.e2eKeys.getCrossSigningKeys([req.userId], req.userId)).get(req.userId);
    masterPub = crossSigningPublicKey(stored?.master);
    if (masterPub === undefined) throw MatrixError.missingParam('No master key is available to check the signatures with');
  }
  for (const [given, usage, field] of [
    [req.selfSigning, 'self_signing', 'self_signing'],
    [req.userSigning, 'user_signing', 'user_signing'],
  ] as const) {
    if (given === undefined) continue;
    const pub = checkCrossSigningKey(given, req.userId, usage);
    if (!signedBy(given, req.userId, masterPub!, masterPub!)) throw MatrixError.invalidSignature(`The ${usage} key is not signed by the master key`);
    publicKeys.push(pub);
    keys[field] = withoutUnsigned(given as JsonObject);
  }
  if (publicKeys.length === 0) return {};
  const deviceIds = new Set((await ctx.storage.getDevices(localpart)).map((d) => d.deviceId));
  if (publicKeys.some((pub) => deviceIds.has(pub))) throw MatrixError.forbidden('A cross-signing public key equals one of the user’s device IDs');
  if (await ctx.storage.e2eKeys.putCrossSigningKeys(req.userId, keys)) await ctx.flushOutbox();
  return {};
}
