/**
 * `performReport` and `queryReports`: content reports kept for admins. What may be reported
 * follows the spec: an event only by a user joined to its room, a room or a user by anyone.
 * Unknown targets are 404, the answer the spec documents (it would also allow a 200 to hide
 * existence; we prefer telling an honest reporter their report went nowhere). Whether a user
 * exists is the userapi's knowledge, so the clientapi checks it before calling here.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformReportRequest, PerformReportResponse, QueryReportsRequest, QueryReportsResponse } from '../api.js';
import type { RoomserverRecords } from '../storage/roomserver-records.js';
import { queryEventVisibility } from './query-event-visibility.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * Stores the report.
 * @throws MatrixError 404 M_NOT_FOUND for an unknown room, or an event that is unknown, in
 *   another room, redacted, or in a room the reporter is not joined to.
 */
export async function performReport(ctx: RoomserverInternalContext, records: RoomserverRecords, req: PerformReportRequest): Promise<PerformReportResponse> {
  if (req.kind !== 'user') {
    if (req.roomId === undefined || !(await ctx.storage.getRoomInfo(req.roomId))?.hasState) throw MatrixError.notFound('The room was not found');
  }
  if (req.kind === 'event') await checkReportableEvent(ctx, req);
  if (req.kind === 'user' && req.targetUserId === undefined) throw MatrixError.missingParam('A user report names the user');
  const reportId = await records.addReport({
    kind: req.kind,
    reporterId: req.reporterId,
    roomId: req.kind === 'user' ? null : (req.roomId ?? null),
    eventId: req.kind === 'event' ? (req.eventId ?? null) : null,
    targetUserId: req.kind === 'user' ? (req.targetUserId ?? null) : null,
    reason: req.reason,
    score: req.score ?? null,
    receivedTs: ctx.now(),
  });
  ctx.logger?.info({ reportId, kind: req.kind }, 'roomserver: content reported');
  return { reportId };
}

async function checkReportableEvent(ctx: RoomserverInternalContext, req: PerformReportRequest): Promise<void> {
  const notFound = MatrixError.notFound('The event was not found or you are not joined to the room');
  if (req.eventId === undefined || req.roomId === undefined) throw notFound;
  const [[event], m] = await Promise.all([ctx.storage.getEvents([req.eventId]), ctx.storage.getMembership(req.roomId, req.reporterId)]);
  if (m?.membership !== 'join') throw notFound;
  if (!event || event.roomId !== req.roomId || event.outlier || event.rejected || event.redactedBy !== null) throw notFound;
  // An event history visibility hides from the reporter (sent before they joined a `joined` room) is not theirs to report.
  const [visibility] = (await queryEventVisibility(ctx, { eventIds: [req.eventId], userId: req.reporterId })).events;
  if (visibility?.visible !== true) throw notFound;
}

/** Stored reports after `afterId`, oldest first. */
export async function queryReports(records: RoomserverRecords, req: QueryReportsRequest): Promise<QueryReportsResponse> {
  const limit = Math.min(Math.max(req.limit ?? 100, 1), 1000);
  return { reports: await records.getReports(req.afterId ?? 0, limit) };
}
