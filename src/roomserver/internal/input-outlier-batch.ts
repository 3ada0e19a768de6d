/**
 * Many outliers of one room at once — the state and auth chain of a `send_join` answer, ten
 * thousand events for a big room. Each is checked exactly as a single outlier is (against its
 * own auth events, which may be earlier events of the same batch), but the accepted ones are
 * written with `storeOutliers` in a few large transactions instead of one transaction each,
 * which is what made joining a big room slow. Rejected ones (rare: a malicious or broken
 * server) are stored one by one with their reason, after the accepted ones.
 */
import type { RoomEvent } from '../../matrix/room-event.js';
import type { InputResult } from '../api.js';
import { checkOwnAuthEvents, denial, notStored, result } from './input-room-event.js';
import { loadEvents } from './load-events.js';
import { decodeRejection, persistEvent } from './persist-event.js';
import type { LoadedEvent, RoomserverInternalContext } from './roomserver-internal-context.js';

/** Accepted outliers written per transaction. */
const STORE_CHUNK = 2_000;

/** Checks and stores verified outliers of one room, in order; call inside the room's queue. */
export async function inputOutlierBatch(ctx: RoomserverInternalContext, events: readonly RoomEvent[]): Promise<InputResult[]> {
  const known = await loadEvents(ctx, events.map((e) => e.eventId));
  const pending = new Map<string, LoadedEvent>();
  const load = async (ids: readonly string[]): Promise<Map<string, LoadedEvent>> => {
    const out = await loadEvents(ctx, ids.filter((id) => !pending.has(id)));
    for (const id of ids) {
      const p = pending.get(id);
      if (p) out.set(id, p);
    }
    return out;
  };
  const results: InputResult[] = [];
  const accepted: RoomEvent[] = [];
  const rejected: { event: RoomEvent; reason: ReturnType<typeof denial> }[] = [];
  for (const event of events) {
    const stored = known.get(event.eventId) ?? pending.get(event.eventId);
    if (stored) {
      results.push(await knownResult(ctx, event, stored));
      continue;
    }
    const own = await checkOwnAuthEvents(ctx, event, load);
    if ('missing' in own) {
      results.push(notStored(event, { rule: 'auth_events/missing', reason: `Unknown auth events: ${own.missing.join(', ')}` }));
      continue;
    }
    const reason = denial(own.decision);
    pending.set(event.eventId, { event, rejected: reason !== undefined, outlier: true });
    if (reason) rejected.push({ event, reason });
    else accepted.push(event);
    results.push(result(event, reason, false));
  }
  for (let i = 0; i < accepted.length; i += STORE_CHUNK) {
    const chunk = accepted.slice(i, i + STORE_CHUNK);
    await ctx.storage.storeOutliers(chunk);
    for (const event of chunk) ctx.events.set(event.eventId, { event, rejected: false, outlier: true });
  }
  for (const r of rejected) await persistEvent(ctx, { event: r.event, outlier: true, rejection: r.reason });
  return results;
}

/** The result of an event already stored (or earlier in this batch): its stored reason when rejected. */
async function knownResult(ctx: RoomserverInternalContext, event: RoomEvent, stored: LoadedEvent): Promise<InputResult> {
  if (!stored.rejected) return result(event, null, false);
  const [row] = await ctx.storage.getEvents([event.eventId]);
  const rejection = row?.rejectionReason ? decodeRejection(row.rejectionReason) : { rule: 'rejected', reason: 'rejected earlier in this batch' };
  return { eventId: event.eventId, accepted: false, softFailed: false, rejection };
}
