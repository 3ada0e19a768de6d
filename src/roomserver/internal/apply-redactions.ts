/**
 * Applying redactions (rooms v3+ "Handling redactions"; v1–v2 decide in auth rule 11): once a
 * redaction and its target are both stored, the redaction is applied when its sender has the
 * redact level, or is on the same server as the target's sender. Applying swaps the stored JSON
 * for the redacted form and emits `redacted_event` in the same transaction. Either event may
 * arrive first, so both orders are handled: a new redaction looks for its target, and a new
 * event (from federation) looks for redactions waiting for it.
 */
import { domainOf } from '../../matrix/ids/domain-of.js';
import { roomPowerLevels } from '../../matrix/auth/power-levels.js';
import { parseEvent } from '../../matrix/parse-event.js';
import { redactEvent } from '../../matrix/redact-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../producers/output-room-event.js';
import { authStateAt } from './auth-state.js';
import { loadEvents } from './load-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Records a just-accepted redaction and applies it if its target is stored; whether it was applied. */
export async function applyRedaction(ctx: RoomserverInternalContext, redaction: RoomEvent): Promise<boolean> {
  if (redaction.redacts === undefined) return false;
  await ctx.storage.addRedaction(redaction.eventId, redaction.redacts);
  return tryApply(ctx, redaction, redaction.redacts);
}

/** Applies the stored, not yet applied redactions of a just-stored event. */
export async function applyWaitingRedactions(ctx: RoomserverInternalContext, target: RoomEvent): Promise<void> {
  const waiting = (await ctx.storage.getRedactionsOf(target.eventId)).filter((r) => !r.validated);
  if (waiting.length === 0) return;
  const loaded = await loadEvents(ctx, waiting.map((r) => r.redactionEventId));
  for (const r of waiting) {
    const redaction = loaded.get(r.redactionEventId);
    if (redaction && !redaction.rejected && (await tryApply(ctx, redaction.event, target.eventId))) return;
  }
}

async function tryApply(ctx: RoomserverInternalContext, redaction: RoomEvent, targetId: string): Promise<boolean> {
  const target = (await loadEvents(ctx, [targetId])).get(targetId);
  if (!target || target.event.roomId !== redaction.roomId) return false;
  if (!(await mayRedact(ctx, redaction, target.event))) return false;
  const rv = target.event.roomVersion;
  const redacted = redactEvent(target.event.json, rv);
  const message: OutputRoomEventMessage = {
    type: 'redacted_event',
    roomId: redaction.roomId,
    redactedEventId: targetId,
    redactedBy: redaction.eventId,
    redactedEvent: redacted,
  };
  const done = await ctx.storage.validateRedaction(redaction.eventId, JSON.stringify(redacted), [
    { topic: OUTPUT_ROOM_EVENT, key: redaction.roomId, payload: message },
  ]);
  if (!done) return false;
  ctx.events.set(targetId, { ...target, event: parseEvent(redacted, rv, { trustedEventId: targetId }) });
  await ctx.flushOutbox();
  return true;
}

/** Whether the redaction may be applied to `target` (see the file comment). */
async function mayRedact(ctx: RoomserverInternalContext, redaction: RoomEvent, target: RoomEvent): Promise<boolean> {
  const rv = redaction.roomVersion;
  // v1–v2: auth rule 11 already required the redact level or a same-server target.
  if (rv.redactionAuthRule) return true;
  if (domainOf(redaction.sender) === domainOf(target.sender)) return true;
  const auth = await authStateAt(ctx, { beforeEvent: redaction.eventId }, redaction, rv);
  if (!auth) return false;
  const power = roomPowerLevels(auth.lookup, rv);
  return power.userLevel(redaction.sender) >= power.levels.redact;
}
