/**
 * Read receipts and the fully-read marker: `POST /rooms/{roomId}/receipt/{receiptType}/{eventId}`
 * and `POST /rooms/{roomId}/read_markers`. Receipts (`m.read`, `m.read.private`) are not stored
 * here: they go out on `OutputReceiptEvent` for the syncapi and the federationapi. The fully-read
 * marker is the `m.fully_read` room account data, written through the userapi, which announces it.
 *
 * The requester must be joined, and every event named must be an accepted event of the room
 * (else 404 M_NOT_FOUND, as Synapse answers), and a threaded receipt's event must be in its
 * thread (`receipt-thread.ts`); all are checked before anything is written, so a bad
 * `/read_markers` request changes nothing.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { publishReceipts, RECEIPT_TYPES, type ReceiptType } from '../producers/output-receipt-event.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MAIN_THREAD } from '../../matrix/thread-link.js';
import { checkReceiptThread } from './receipt-thread.js';
import { requireJoined } from './room-access.js';

/** The read marker's account-data type (and its name in the receipt and read-marker APIs). */
export const FULLY_READ = 'm.fully_read';

/** One marker to move: a receipt or the fully-read marker. */
export interface ReadMark {
  readonly type: ReceiptType | typeof FULLY_READ;
  readonly eventId: string;
  /** Receipts only: a thread root, `main`, or undefined for an unthreaded receipt. */
  readonly threadId?: string;
}

const ReceiptParams = Type.Object({ roomId: Type.String(), receiptType: Type.String(), eventId: Type.String() });
// A loose object: a bad thread_id is M_INVALID_PARAM (spec), not the schema's M_BAD_JSON.
const ReceiptBody = Type.Record(Type.String(), Type.Unknown());
const ReadMarkersBody = Type.Object({
  [FULLY_READ]: Type.Optional(Type.String()),
  'm.read': Type.Optional(Type.String()),
  'm.read.private': Type.Optional(Type.String()),
});

function isMarkType(t: string): t is ReadMark['type'] {
  return t === FULLY_READ || (RECEIPT_TYPES as readonly string[]).includes(t);
}

function checkEventIdParam(eventId: string): void {
  if (!eventId.startsWith('$')) throw MatrixError.invalidParam(`${eventId} is not an event ID`);
}

/** The receipt's thread from the request body; 400 M_INVALID_PARAM when malformed or not allowed. */
function threadIdOf(body: Record<string, unknown>, type: ReadMark['type']): string | undefined {
  if (!Object.hasOwn(body, 'thread_id')) return undefined;
  const threadId = body.thread_id;
  if (typeof threadId !== 'string' || threadId === '') throw MatrixError.invalidParam('thread_id field must be a non-empty string');
  if (type === FULLY_READ) throw MatrixError.invalidParam(`thread_id is not compatible with ${FULLY_READ}`);
  if (threadId !== MAIN_THREAD && !threadId.startsWith('$')) throw MatrixError.invalidParam('thread_id must be "main" or an event ID');
  return threadId;
}

/**
 * Moves the user's markers in the room: checks membership and the events, then sets the
 * fully-read marker and publishes the receipts.
 * @throws MatrixError 400 for a malformed room ID, 404 for an unknown room or event, 403 when not joined.
 */
export async function moveReadMarks(deps: ClientRouteDeps, userId: string, roomId: string, marks: readonly ReadMark[]): Promise<void> {
  await requireJoined(deps.roomserverApi, roomId, userId);
  if (marks.length === 0) return;
  const wanted = [...new Set(marks.map((m) => m.eventId))];
  const { events } = await deps.roomserverApi.queryEvents({ eventIds: wanted });
  const found = new Map(events.filter((e) => e.roomId === roomId && !e.rejected).map((e) => [e.eventId, e.event]));
  const missing = wanted.find((id) => !found.has(id));
  if (missing !== undefined) throw MatrixError.notFound(`Event ${missing} not found in ${roomId}`);
  for (const m of marks) {
    if (m.threadId !== undefined) await checkReceiptThread(deps.roomserverApi, roomId, m.eventId, found.get(m.eventId)!, m.threadId);
  }

  const ts = Date.now();
  const receipts = marks.flatMap((m) =>
    m.type === FULLY_READ ? [] : [{ roomId, userId, eventId: m.eventId, receiptType: m.type, threadId: m.threadId ?? null, ts }],
  );
  for (const m of marks) {
    if (m.type !== FULLY_READ) continue;
    await deps.userApi.performAccountDataUpdate({ userId, roomId, type: FULLY_READ, content: { event_id: m.eventId } });
  }
  await publishReceipts(deps.bus, receipts);
}

export function roomReceiptRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/receipt/:receiptType/:eventId',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: ReceiptParams, body: ReceiptBody },
      handler: async ({ params, body, requester }) => {
        const type = params.receiptType;
        if (!isMarkType(type)) throw MatrixError.invalidParam(`Receipt type must be one of ${[...RECEIPT_TYPES, FULLY_READ].join(', ')}`);
        checkEventIdParam(params.eventId);
        const threadId = threadIdOf(body, type);
        await moveReadMarks(deps, requester!.userId, params.roomId, [{ type, eventId: params.eventId, threadId }]);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/read_markers',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), body: ReadMarkersBody },
      handler: async ({ params, body, requester }) => {
        const marks: ReadMark[] = [];
        for (const type of [FULLY_READ, ...RECEIPT_TYPES] as const) {
          const eventId = body[type];
          if (eventId === undefined) continue;
          checkEventIdParam(eventId);
          marks.push({ type, eventId });
        }
        await moveReadMarks(deps, requester!.userId, params.roomId, marks);
        return {};
      },
    }),
  ];
}
