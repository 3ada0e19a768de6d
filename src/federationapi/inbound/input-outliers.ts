/**
 * Inputs events fetched to place another (auth chains, state) as outliers: stored and checked
 * against their own auth events only, auth events first.
 */
import type { InputResult } from '../../roomserver/api.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { InboundRoomContext } from './inbound-room-context.js';
import { orderByAuthEvents } from './order-by-auth-events.js';

/** The roomserver's result per event ID. */
export async function inputOutliers(ctx: InboundRoomContext, events: readonly RoomEvent[]): Promise<Map<string, InputResult>> {
  if (events.length === 0) return new Map();
  const ordered = orderByAuthEvents(events);
  const { results } = await ctx.deps.sendRoomserverApi.inputRoomEvents({
    inputs: ordered.map((e) => ({ kind: 'outlier' as const, event: e.json, roomVersion: ctx.rv.id, origin: ctx.origin })),
  });
  const byId = new Map<string, InputResult>();
  ordered.forEach((e, i) => {
    const r = results[i];
    if (r) byId.set(e.eventId, r);
  });
  return byId;
}
