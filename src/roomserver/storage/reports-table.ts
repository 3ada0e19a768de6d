/**
 * Content reports (`/rooms/{roomId}/report/{eventId}`, `/rooms/{roomId}/report`,
 * `/users/{userId}/report`), kept for the server's admins. Reports are only appended and listed.
 */
import type { Generated, Kysely } from 'kysely';

export interface ReportsTable {
  report_id: Generated<number>;
  /** `event`, `room` or `user`. */
  kind: string;
  reporter_id: string;
  /** The room (event and room reports). */
  room_id: string | null;
  /** The event (event reports). */
  event_id: string | null;
  /** The reported user (user reports). */
  target_user_id: string | null;
  reason: string;
  /** The legacy `score` of event reports (-100 … 0), removed from the spec in v1.18. */
  score: number | null;
  received_ts: number;
}

/** The table as Kysely sees it. */
export interface ReportsTables {
  roomserver_reports: ReportsTable;
}

/** A report as stored. */
export interface StoredReport {
  readonly reportId: number;
  readonly kind: 'event' | 'room' | 'user';
  readonly reporterId: string;
  readonly roomId: string | null;
  readonly eventId: string | null;
  readonly targetUserId: string | null;
  readonly reason: string;
  readonly score: number | null;
  readonly receivedTs: number;
}

/** Appends a report; its ID. */
export async function insertReport(db: Kysely<ReportsTables>, r: Omit<StoredReport, 'reportId'>): Promise<number> {
  const row = await db
    .insertInto('roomserver_reports')
    .values({
      kind: r.kind,
      reporter_id: r.reporterId,
      room_id: r.roomId,
      event_id: r.eventId,
      target_user_id: r.targetUserId,
      reason: r.reason,
      score: r.score,
      received_ts: r.receivedTs,
    })
    .returning('report_id')
    .executeTakeFirstOrThrow();
  return Number(row.report_id);
}

/** Reports with an ID above `afterId`, oldest first, at most `limit`. */
export async function selectReports(db: Kysely<ReportsTables>, afterId: number, limit: number): Promise<StoredReport[]> {
  const rows = await db.selectFrom('roomserver_reports').selectAll().where('report_id', '>', afterId).orderBy('report_id').limit(limit).execute();
  return rows.map((r) => ({
    reportId: Number(r.report_id),
    kind: r.kind as StoredReport['kind'],
    reporterId: r.reporter_id,
    roomId: r.room_id,
    eventId: r.event_id,
    targetUserId: r.target_user_id,
    reason: r.reason,
    score: r.score === null ? null : Number(r.score),
    receivedTs: Number(r.received_ts),
  }));
}
