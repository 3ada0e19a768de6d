/**
 * One incoming event through the checks on receipt of a PDU (server-server API), inside its
 * room's queue: its auth events (rule 2, then the auth rules against them), the state before
 * it (rejected when it fails there, stored so it is never fetched again), then — for a live
 * event — current state (soft-failed when it fails there: stored, not served, not an
 * extremity), and finally the head move with its `OutputRoomEvent`, and any redaction it
 * completes. Outliers are checked against their own auth events only.
 */
import { checkAuthEvents } from '../../matrix/auth/check-auth-events.js';
import { checkEventAuth, type AuthDecision } from '../../matrix/auth/check-event-auth.js';
import { lookupFromEvents } from '../../matrix/auth/auth-state-lookup.js';
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import type { EventRejection, InputRoomEvent, InputResult } from '../api.js';
import { applyRedaction, applyWaitingRedactions } from './apply-redactions.js';
import { authStateAt, authStateIn } from './auth-state.js';
import { loadEvents } from './load-events.js';
import { decodeRejection, persistEvent } from './persist-event.js';
import { roomHeadUpdate } from './room-head-update.js';
import type { LoadedEvent, RoomserverInternalContext } from './roomserver-internal-context.js';
import { stateBeforeEvent } from './state-before-event.js';

/** Checks and stores one verified event; call inside the room's queue. */
export async function inputVerifiedEvent(ctx: RoomserverInternalContext, input: InputRoomEvent, event: RoomEvent): Promise<InputResult> {
  const known = (await ctx.storage.getEvents([event.eventId]))[0];
  if (known && !(known.outlier && input.kind !== 'outlier')) {
    const rejection = known.rejectionReason === null ? null : decodeRejection(known.rejectionReason);
    return { eventId: event.eventId, accepted: !known.rejected, softFailed: false, rejection };
  }
  const own = await checkOwnAuthEvents(ctx, event);
  if ('missing' in own) return notStored(event, { rule: 'auth_events/missing', reason: `Unknown auth events: ${own.missing.join(', ')}` });
  if (input.kind === 'outlier' || !own.decision.allowed) {
    // A live event rejected by its own auth events needs no state: it never enters one.
    const rejection = denial(own.decision);
    await persistEvent(ctx, { event, outlier: true, rejection });
    return result(event, rejection, false);
  }

  const before = await stateBeforeEvent(ctx, event, input.stateEventIdsBefore);
  if (!before.ok) return notStored(event, { rule: 'prev_events/missing', reason: `Unknown prev events or state: ${before.missing.join(', ')}` });
  const rv = event.roomVersion;
  const authBefore = before.state
    ? await authStateIn(ctx, before.state, event, rv)
    : before.afterEvent !== undefined
      ? await authStateAt(ctx, { afterEvent: before.afterEvent }, event, rv)
      : await authStateIn(ctx, new Map(), event, rv);
  const rejection = denial(checkEventAuth(event, authBefore!.lookup));
  if (rejection || input.kind === 'backfill') {
    await persistEvent(ctx, { event, stateBefore: before.input, rejection, historical: input.kind === 'backfill' });
    return result(event, rejection, false);
  }

  const room = await ctx.storage.getRoomInfo(event.roomId);
  if (room?.hasState) {
    const current = await authStateAt(ctx, { currentOf: event.roomId }, event, rv);
    // A current state without a create event is no room's state: only an invite received for a
    // room we were never in (perform-receive-invite.ts). The first real event replaces it.
    const real = current !== undefined && current.entries.has(stateMapKey('m.room.create', ''));
    // A second create event passes rule 1 on any state; it can never join a room that has one.
    if ((real && event.type === 'm.room.create') || (real && !checkEventAuth(event, current.lookup).allowed)) {
      await persistEvent(ctx, { event, stateBefore: before.input, softFailed: true });
      return result(event, null, true);
    }
  }
  const updateHead = await roomHeadUpdate(ctx, room, event, before);
  await persistEvent(ctx, { event, stateBefore: before.input, updateHead, sendAsServer: input.sendAsServer });
  if (event.redacts !== undefined) await applyRedaction(ctx, event);
  await applyWaitingRedactions(ctx, event);
  return result(event, null, false);
}

/** How {@link checkOwnAuthEvents} finds auth events: stored ones, or also a batch not stored yet. */
export type AuthEventLoader = (ids: readonly string[]) => Promise<Map<string, LoadedEvent>>;

/** Rule 2 and the auth rules against the event's own auth events (plus the implied v12 create event). */
export async function checkOwnAuthEvents(
  ctx: RoomserverInternalContext,
  event: RoomEvent,
  load: AuthEventLoader = (ids) => loadEvents(ctx, ids),
): Promise<{ decision: AuthDecision } | { missing: string[] }> {
  const rv = event.roomVersion;
  const createId = rv.roomIdIsCreateHash && event.type !== 'm.room.create' ? `$${event.roomId.slice(1)}` : undefined;
  const loaded = await load(createId ? [...event.authEvents, createId] : event.authEvents);
  const missing = event.authEvents.filter((id) => !loaded.has(id));
  if (createId && !loaded.has(createId)) missing.push(createId);
  if (missing.length > 0) return { missing };
  const authEvents = event.authEvents.map((id) => loaded.get(id)!.event);
  const rejected = (id: string) => loaded.get(id)?.rejected === true;
  const decision = checkAuthEvents(event, authEvents, { isRejected: rejected });
  if (!decision.allowed) return { decision };
  const withCreate: LoadedEvent[] = createId ? [loaded.get(createId)!] : [];
  return { decision: checkEventAuth(event, lookupFromEvents([...withCreate.map((l) => l.event), ...authEvents])) };
}

export function denial(d: AuthDecision): EventRejection | undefined {
  return d.allowed ? undefined : { rule: d.rule, reason: d.reason };
}

export function result(event: RoomEvent, rejection: EventRejection | null | undefined, softFailed: boolean): InputResult {
  return { eventId: event.eventId, accepted: !rejection, softFailed, rejection: rejection ?? null };
}

/** An event that could not be checked yet (missing events): not stored, so it can be retried. */
export function notStored(event: RoomEvent, rejection: EventRejection): InputResult {
  return { eventId: event.eventId, accepted: false, softFailed: false, rejection };
}
