/**
 * `/keys/signatures/upload`: a user adds signatures to keys already published — their devices
 * signed by their self-signing key, their master key signed by one of their devices, and other
 * users' master keys signed by their user-signing key.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { PerformUploadKeySignaturesRequest, PerformUploadKeySignaturesResponse } from '../api.js';
import { crossSigningPublicKey } from '../storage/cross-signing-keys-table.js';
import type { KeyAnnouncement, StoredKeySignature } from '../storage/e2e-key-storage.js';
import { deviceEd25519Key, signedBy, signedContent } from './key-json.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

type Failure = { readonly errcode: string; readonly error: string };
/** What checking one signed object gave: signatures to store and a change to announce, or why not. */
type Checked = { readonly ok: true; readonly signatures: StoredKeySignature[]; readonly announce: KeyAnnouncement } | { readonly ok: false; readonly failure: Failure };

const fail = (errcode: string, error: string): Checked => ({ ok: false, failure: { errcode, error } });
const INVALID = (what: string) => fail('M_INVALID_SIGNATURE', `Invalid signature on ${what}`);

/**
 * Checks each signed object against the stored key it claims to be (same signed content) and the
 * signer's key, stores the good signatures and announces the changes, all in one transaction;
 * each bad one is a failure under its user and key ID, the rest still go through.
 */
export async function performUploadKeySignatures(ctx: UserInternalContext, req: PerformUploadKeySignaturesRequest): Promise<PerformUploadKeySignaturesResponse> {
  const me = req.userId;
  const mine = (await ctx.storage.e2eKeys.getCrossSigningKeys([me], me)).get(me) ?? {};
  const failures: Record<string, Record<string, Failure>> = {};
  const signatures: StoredKeySignature[] = [];
  const announcements: KeyAnnouncement[] = [];
  for (const [userId, byKey] of Object.entries(req.signatures)) {
    for (const [keyId, signed] of Object.entries(byKey)) {
      const checked = !isJsonObject(signed)
        ? fail('M_INVALID_PARAM', 'A signed object is expected')
        : userId === me
          ? await checkOwnKey(ctx, me, keyId, signed, mine.master, crossSigningPublicKey(mine.self_signing))
          : await checkOthersMaster(ctx, me, userId, keyId, signed, crossSigningPublicKey(mine.user_signing));
      if (!checked.ok) (failures[userId] ??= {})[keyId] = checked.failure;
      else {
        signatures.push(...checked.signatures);
        announcements.push(checked.announce);
      }
    }
  }
  if (signatures.length > 0) {
    await ctx.storage.e2eKeys.putSignatures(signatures, dedupe(announcements));
    await ctx.flushOutbox();
  }
  return { failures };
}

/** The user's own master key signed by their devices, or one of their devices signed by their self-signing key. */
async function checkOwnKey(ctx: UserInternalContext, me: string, keyId: string, signed: JsonObject, master: JsonObject | undefined, sskPub: string | undefined): Promise<Checked> {
  const masterPub = crossSigningPublicKey(master);
  if (master && keyId === masterPub) {
    if (signedContent(signed) !== signedContent(master)) return fail('M_INVALID_PARAM', 'The signed object does not match the stored master key');
    const bySigner = isJsonObject(signed.signatures) ? signed.signatures[me] : undefined;
    const deviceIds = Object.keys(isJsonObject(bySigner) ? bySigner : {})
      .filter((k) => k.startsWith('ed25519:') && k !== `ed25519:${masterPub}`)
      .map((k) => k.slice('ed25519:'.length));
    if (deviceIds.length === 0) return INVALID('the master key: no device signed it');
    const devices = await ctx.storage.e2eKeys.getDeviceKeys(me, deviceIds, me);
    const out: StoredKeySignature[] = [];
    for (const deviceId of deviceIds) {
      const pub = deviceEd25519Key(devices.get(deviceId), deviceId);
      if (pub === undefined || !signedBy(signed, me, deviceId, pub)) return INVALID(`the master key by device ${deviceId}`);
      const signature = String((bySigner as JsonObject)[`ed25519:${deviceId}`]);
      out.push({ originUserId: me, originKeyId: `ed25519:${deviceId}`, targetUserId: me, targetKeyId: masterPub, signature });
    }
    return { ok: true, signatures: out, announce: { kind: 'cross_signing', userId: me, publicKeysChanged: true } };
  }
  const stored = (await ctx.storage.e2eKeys.getDeviceKeys(me, [keyId], me)).get(keyId);
  if (!stored) return fail('M_NOT_FOUND', `Unknown device or key ${keyId}`);
  if (sskPub === undefined) return fail('M_NOT_FOUND', 'No self-signing key to check the signature with');
  if (signedContent(signed) !== signedContent(stored)) return fail('M_INVALID_PARAM', `The signed object does not match the keys of device ${keyId}`);
  if (!signedBy(signed, me, sskPub, sskPub)) return INVALID(`device ${keyId}`);
  const signature = String(((signed.signatures as JsonObject)[me] as JsonObject)[`ed25519:${sskPub}`]);
  const [device] = await ctx.storage.getDevices(localpartOf(ctx, me) ?? '', [keyId]);
  return {
    ok: true,
    signatures: [{ originUserId: me, originKeyId: `ed25519:${sskPub}`, targetUserId: me, targetKeyId: keyId, signature }],
    announce: { kind: 'device', userId: me, deviceId: keyId, displayName: device?.displayName ?? null },
  };
}

/**
 * Another user's master key signed by the uploader's user-signing key. Only local users' keys
 * are known here: federation seam — another server's user fails with `M_NOT_FOUND` until the
 * federationapi can fetch (and cache) their master key.
 */
async function checkOthersMaster(ctx: UserInternalContext, me: string, userId: string, keyId: string, signed: JsonObject, uskPub: string | undefined): Promise<Checked> {
  if (uskPub === undefined) return fail('M_NOT_FOUND', 'No user-signing key to check the signature with');
  if (localpartOf(ctx, userId) === undefined) return fail('M_NOT_FOUND', `The keys of ${userId} are not known to this server`);
  const master = (await ctx.storage.e2eKeys.getCrossSigningKeys([userId], me)).get(userId)?.master;
  const masterPub = crossSigningPublicKey(master);
  if (!master || masterPub !== keyId) return fail('M_NOT_FOUND', `${keyId} is not the master key of ${userId}`);
  if (signedContent(signed) !== signedContent(master)) return fail('M_INVALID_PARAM', 'The signed object does not match the stored master key');
  if (!signedBy(signed, me, uskPub, uskPub)) return INVALID(`the master key of ${userId}`);
  const signature = String(((signed.signatures as JsonObject)[me] as JsonObject)[`ed25519:${uskPub}`]);
  return {
    ok: true,
    signatures: [{ originUserId: me, originKeyId: `ed25519:${uskPub}`, targetUserId: userId, targetKeyId: masterPub, signature }],
    // Private to the signer: their own devices learn of it, other servers do not.
    announce: { kind: 'cross_signing', userId: me, publicKeysChanged: false },
  };
}

/** One announcement per device and per user's cross-signing keys (a public change wins). */
function dedupe(all: readonly KeyAnnouncement[]): KeyAnnouncement[] {
  const byKey = new Map<string, KeyAnnouncement>();
  for (const a of all) {
    const key = a.kind === 'device' ? `d ${a.userId} ${a.deviceId}` : `c ${a.userId}`;
    const prev = byKey.get(key);
    if (prev?.kind === 'cross_signing' && prev.publicKeysChanged && a.kind === 'cross_signing') continue;
    byKey.set(key, a);
  }
  return [...byKey.values()];
}
