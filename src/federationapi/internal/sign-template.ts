/**
 * Turning a `make_join`/`make_leave`/`make_knock` template into our event: the resident server
 * chose the DAG position (prev and auth events, depth); we set the content, the time and our
 * origin, then hash, sign and (v1–v2) name it. Fields the template must not decide for us
 * (signatures, hashes, unsigned, a v1–v2 event ID) are dropped, and the result must be the
 * membership the caller asked for, of the user it asked for, in the room it asked for.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion, isKnownRoomVersion } from '../../matrix/room-version.js';
import { hashSignAndIdentifyEvent } from '../../matrix/sign-event.js';
import { randomBytes } from 'node:crypto';
import type { FederationInternalContext } from './federation-internal-context.js';

/** What the template must be. */
export interface TemplateExpectation {
  readonly roomId: string;
  readonly userId: string;
  readonly membership: 'join' | 'leave' | 'knock';
  /** Content added to the template's (displayname, reason…); `membership` always wins. */
  readonly content?: JsonObject;
}

/** The signed event made from a make_* answer `{room_version, event}`. */
export function signTemplate(ctx: FederationInternalContext, answer: unknown, want: TemplateExpectation): RoomEvent {
  if (!isJsonObject(answer) || !isJsonObject(answer.event)) throw MatrixError.unknown('The resident server sent no event template', 502);
  const versionId = typeof answer.room_version === 'string' ? answer.room_version : '1';
  if (!isKnownRoomVersion(versionId)) throw MatrixError.unsupportedRoomVersion(`The room's version ${versionId} is not supported here`);
  const rv = roomVersion(versionId);
  const t = answer.event;
  if (t.type !== 'm.room.member' || t.state_key !== want.userId || t.sender !== want.userId || t.room_id !== want.roomId) {
    throw MatrixError.unknown('The resident server sent a template for another event', 502);
  }
  const templateContent = isJsonObject(t.content) ? t.content : {};
  const fields: JsonObject = { ...t, content: { ...templateContent, ...(want.content ?? {}), membership: want.membership }, origin_server_ts: ctx.now() };
  for (const k of ['signatures', 'hashes', 'unsigned', 'event_id'] as const) delete fields[k];
  if ('origin' in t) fields.origin = ctx.serverName;
  if (rv.eventIdFormat === 'legacy') fields.event_id = `$${randomBytes(12).toString('base64url')}:${ctx.serverName}`;
  const { signed, eventId } = hashSignAndIdentifyEvent(fields, rv, ctx.serverName, ctx.signingKey);
  return parseEvent(signed, rv, eventId !== undefined ? { trustedEventId: eventId } : undefined);
}
