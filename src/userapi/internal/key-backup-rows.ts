/**
 * Between the API's nested key maps (`rooms → sessions → key`) and the storage's flat rows.
 * Values are checked here too, not only by the route's schema: over inthttp anything can arrive,
 * and a float or negative index would break the replacement order the storage relies on.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { KeyBackupRooms, KeyBackupSessionKey } from '../api.js';
import type { BackupKeyRow } from '../storage/key-backup-storage.js';

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Throws M_BAD_JSON unless `key` is a well-formed `KeyBackupData`. */
function checkSessionKey(roomId: string, sessionId: string, key: KeyBackupSessionKey): void {
  const where = `session ${sessionId} of ${roomId}`;
  if (!isCount(key.firstMessageIndex)) throw MatrixError.badJson(`first_message_index of ${where} must be a non-negative integer`);
  if (!isCount(key.forwardedCount)) throw MatrixError.badJson(`forwarded_count of ${where} must be a non-negative integer`);
  if (typeof key.isVerified !== 'boolean') throw MatrixError.badJson(`is_verified of ${where} must be a boolean`);
  if (!isJsonObject(key.sessionData)) throw MatrixError.badJson(`session_data of ${where} must be an object`);
}

/** The storage rows for an upload, each key checked (M_BAD_JSON). */
export function backupRowsOf(rooms: KeyBackupRooms): BackupKeyRow[] {
  const rows: BackupKeyRow[] = [];
  for (const [roomId, sessions] of Object.entries(rooms)) {
    if (!isJsonObject(sessions)) throw MatrixError.badJson(`the sessions of ${roomId} must be an object`);
    for (const [sessionId, key] of Object.entries(sessions)) {
      if (!isJsonObject(key)) throw MatrixError.badJson(`session ${sessionId} of ${roomId} must be an object`);
      checkSessionKey(roomId, sessionId, key);
      rows.push({
        roomId,
        sessionId,
        firstMessageIndex: key.firstMessageIndex,
        forwardedCount: key.forwardedCount,
        isVerified: key.isVerified,
        sessionData: JSON.stringify(key.sessionData),
      });
    }
  }
  return rows;
}

/** The nested map of stored rows (built with `fromEntries`: a session named "__proto__" stays an ordinary key). */
export function backupRoomsOf(rows: readonly BackupKeyRow[]): KeyBackupRooms {
  const byRoom = new Map<string, Array<[string, KeyBackupSessionKey]>>();
  for (const r of rows) {
    let sessions = byRoom.get(r.roomId);
    if (!sessions) byRoom.set(r.roomId, (sessions = []));
    sessions.push([
      r.sessionId,
      {
        firstMessageIndex: r.firstMessageIndex,
        forwardedCount: r.forwardedCount,
        isVerified: r.isVerified,
        sessionData: JSON.parse(r.sessionData) as Record<string, unknown>,
      },
    ]);
  }
  return Object.fromEntries([...byRoom].map(([roomId, sessions]) => [roomId, Object.fromEntries(sessions)]));
}
