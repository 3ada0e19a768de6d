/**
 * The wire shapes of `/room_keys/keys` (spec `KeyBackupData`, `RoomKeyBackup`) and their
 * conversion to and from the userapi's key maps. Maps are built with `fromEntries`, so a session
 * named "__proto__" stays an ordinary key.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { byteLength } from '../../matrix/ids/id-result.js';
import type { KeyBackupRooms, KeyBackupSessionKey } from '../../userapi/api.js';

/** One session's key, as clients send and receive it. */
export const KeyBackupData = Type.Object({
  first_message_index: Type.Integer({ minimum: 0 }),
  forwarded_count: Type.Integer({ minimum: 0 }),
  is_verified: Type.Boolean(),
  session_data: Type.Record(Type.String(), Type.Unknown()),
});
/** A room's keys by session ID. */
export const RoomKeyBackup = Type.Object({ sessions: Type.Record(Type.String(), KeyBackupData) });
/** Every room's keys by room ID. */
export const RoomsKeyBackup = Type.Object({ rooms: Type.Record(Type.String(), RoomKeyBackup) });

/** A key as the wire carries it. */
export interface WireKeyBackupData {
  readonly first_message_index: number;
  readonly forwarded_count: number;
  readonly is_verified: boolean;
  readonly session_data: Record<string, unknown>;
}

/**
 * Longest room or session ID accepted. Room IDs are at most 255 bytes (spec); megolm session
 * IDs are 43 characters, and the bound keeps the pair within any index's key size.
 */
const MAX_ID_BYTES = 255;

/**
 * Throws unless `roomId` looks like a room ID and `sessionId` (when given) is a plausible
 * session ID: M_INVALID_PARAM for path parameters, M_BAD_JSON for body keys. Deliberately loose
 * (a leading "!" and a length): the server never joins these to rooms, and refusing an odd but
 * real room ID would fail a client's whole backup batch.
 */
export function checkKeyIds(roomId: string, sessionId: string | undefined, where: 'path' | 'body'): void {
  const fail = (msg: string) => (where === 'path' ? MatrixError.invalidParam(msg) : MatrixError.badJson(msg));
  if (!roomId.startsWith('!') || byteLength(roomId) > MAX_ID_BYTES) throw fail(`${roomId} is not a room ID`);
  if (sessionId !== undefined && (sessionId === '' || byteLength(sessionId) > MAX_ID_BYTES)) {
    throw fail(`Session IDs are 1 to ${MAX_ID_BYTES} bytes`);
  }
}

/** The userapi's form of one key. */
export function fromWire(k: WireKeyBackupData): KeyBackupSessionKey {
  return { firstMessageIndex: k.first_message_index, forwardedCount: k.forwarded_count, isVerified: k.is_verified, sessionData: k.session_data };
}

/** The wire form of one key. */
export function toWire(k: KeyBackupSessionKey): WireKeyBackupData {
  return { first_message_index: k.firstMessageIndex, forwarded_count: k.forwardedCount, is_verified: k.isVerified, session_data: k.sessionData };
}

/** A room's sessions in the userapi's form, each session ID checked. */
export function sessionsFromWire(roomId: string, sessions: Readonly<Record<string, WireKeyBackupData>>): Record<string, KeyBackupSessionKey> {
  return Object.fromEntries(
    Object.entries(sessions).map(([sessionId, k]) => {
      checkKeyIds(roomId, sessionId, 'body');
      return [sessionId, fromWire(k)];
    }),
  );
}

/** A room's sessions in wire form. */
export function sessionsToWire(sessions: Readonly<Record<string, KeyBackupSessionKey>> | undefined): Record<string, WireKeyBackupData> {
  return Object.fromEntries(Object.entries(sessions ?? {}).map(([sessionId, k]) => [sessionId, toWire(k)]));
}

/** Every room's keys in wire form (`{rooms: {roomId: {sessions}}}`'s inner map). */
export function roomsToWire(rooms: KeyBackupRooms): Record<string, { sessions: Record<string, WireKeyBackupData> }> {
  return Object.fromEntries(Object.entries(rooms).map(([roomId, sessions]) => [roomId, { sessions: sessionsToWire(sessions) }]));
}
