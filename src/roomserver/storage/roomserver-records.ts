/**
 * The roomserver's per-user records that are not part of any room's DAG: forgotten rooms and
 * content reports. Kept apart from {@link RoomserverStorage} (same database, same migrations)
 * because nothing on the event path reads or writes them.
 */
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { selectForgotten, upsertForgotten, type ForgottenTables } from './forgotten-table.js';
import { insertReport, selectReports, type ReportsTables, type StoredReport } from './reports-table.js';

export type { StoredReport };

export interface RoomserverRecords {
  /** Records that the user forgot the room at their membership event `membershipEventId`. */
  forgetRoom(userId: string, roomId: string, membershipEventId: string, ts: number): Promise<void>;
  /** Room ID → the membership event it was forgotten at, for each room the user ever forgot. */
  getForgotten(userId: string): Promise<Map<string, string>>;
  /** Appends a report; its ID. */
  addReport(report: Omit<StoredReport, 'reportId'>): Promise<number>;
  /** Reports with an ID above `afterId`, oldest first, at most `limit`. */
  getReports(afterId: number, limit: number): Promise<StoredReport[]>;
}

/** The records over a database the roomserver's migrations ran on (`openRoomserverStorage`). */
export function createRoomserverRecords(database: Database): RoomserverRecords {
  const db = typedDb<ForgottenTables & ReportsTables>(database);
  return {
    forgetRoom: (userId, roomId, eventId, ts) => upsertForgotten(db, userId, roomId, eventId, ts),
    getForgotten: (userId) => selectForgotten(db, userId),
    addReport: (report) => insertReport(db, report),
    getReports: (afterId, limit) => selectReports(db, afterId, limit),
  };
}
