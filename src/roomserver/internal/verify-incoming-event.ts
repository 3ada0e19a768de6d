/**
 * The checks on receipt of a PDU that come before the auth rules (server-server API "Checks
 * performed on receipt of a PDU", steps 1–3): the format of the room version, the signatures of
 * every server that must have signed it, and the content hash — an event whose hash does not
 * match is not dropped but replaced by its redacted form (it was altered or redacted on the way;
 * its signature still verifies because it covers the redacted form).
 */
import { checkContentHash } from '../../matrix/content-hash.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import { redactEvent } from '../../matrix/redact-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import { requiredSignatureServers, verifyEventSignatures, type EventSignatureCheck } from '../../matrix/verify-event.js';
import type { EventRejection } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** A verified event, or why it was dropped (`eventId` as far as it could be told). */
export type VerifiedEvent =
  | { readonly ok: true; readonly event: RoomEvent; readonly redacted: boolean }
  | { readonly ok: false; readonly eventId: string; readonly rejection: EventRejection };

/**
 * Parses and verifies `json`. Signatures are checked when the event came over federation
 * (`origin` set); our own server's signature is checked against our own key.
 */
export async function verifyIncomingEvent(
  ctx: RoomserverInternalContext,
  json: JsonObject,
  rv: RoomVersion,
  origin: string | undefined,
): Promise<VerifiedEvent> {
  let event: RoomEvent;
  try {
    event = parseEvent(json, rv);
  } catch (e) {
    if (!(e instanceof MatrixError)) throw e;
    const id = typeof json.event_id === 'string' ? json.event_id : '';
    return { ok: false, eventId: id, rejection: { rule: 'format', reason: e.message } };
  }
  if (origin !== undefined) {
    const failure = await checkSignatures(ctx, event);
    if (failure) return { ok: false, eventId: event.eventId, rejection: failure };
  }
  if (checkContentHash(event.json, rv)) return { ok: true, event, redacted: false };
  return { ok: true, event: parseEvent(redactEvent(event.json, rv), rv, { trustedEventId: event.eventId }), redacted: true };
}

/** The first signature problem, or undefined when every required server signed with a key we know. */
async function checkSignatures(ctx: RoomserverInternalContext, event: RoomEvent): Promise<EventRejection | undefined> {
  const signatures = isJsonObject(event.json.signatures) ? event.json.signatures : {};
  const checks: EventSignatureCheck[] = [];
  for (const server of requiredSignatureServers(event)) {
    const mine = signatures[server];
    const keyIds = isJsonObject(mine) ? Object.keys(mine).filter((k) => k.startsWith('ed25519:')) : [];
    let check: EventSignatureCheck | undefined;
    for (const keyId of keyIds) {
      const publicKey = await publicKeyOf(ctx, server, keyId, event);
      if (publicKey !== undefined) {
        check = { serverName: server, keyId, publicKey };
        break;
      }
    }
    if (!check) return { rule: 'signatures/missing', reason: `Not signed by ${server} with a key we know` };
    checks.push(check);
  }
  const result = verifyEventSignatures(event.json, event.roomVersion, checks);
  return result.ok ? undefined : { rule: 'signatures/invalid', reason: result.reason };
}

/**
 * The key to check `event`'s signature with: ours locally, others' from the key ring, valid
 * when the event was sent (v5+ also need `valid_until_ts` at least then; v1–4 ignore it).
 */
async function publicKeyOf(ctx: RoomserverInternalContext, server: string, keyId: string, event: RoomEvent): Promise<string | undefined> {
  if (server === ctx.serverName) return keyId === ctx.signingKey.keyId ? ctx.signingKey.publicKeyBase64 : undefined;
  const ts = event.originServerTs;
  return ctx.verifyKeys(server, keyId, { atTs: ts, minimumValidUntilTs: event.roomVersion.enforceKeyValidity ? ts : 0 });
}
