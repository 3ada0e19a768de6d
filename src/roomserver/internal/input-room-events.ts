/**
 * `inputRoomEvents`: events from federation, backfill and joins. Each is parsed and verified
 * first (signatures and hashes need no room lock), then checked and stored in its room's queue,
 * in the order given (an event may depend on one before it in the same request).
 */
import { roomVersion } from '../../matrix/room-version.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { InputResult, InputRoomEvent, InputRoomEventsRequest, InputRoomEventsResponse } from '../api.js';
import { inputOutlierBatch } from './input-outlier-batch.js';
import { inputVerifiedEvent } from './input-room-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';
import { verifyIncomingEvent, type VerifiedEvent } from './verify-incoming-event.js';

/**
 * One result per input, in order. Events failing format or signature checks are dropped (not
 * stored) and reported with rule `format` or `signatures/…`.
 * @throws MatrixError `M_UNSUPPORTED_ROOM_VERSION` for an unknown room version.
 */
export async function inputRoomEvents(ctx: RoomserverInternalContext, req: InputRoomEventsRequest): Promise<InputRoomEventsResponse> {
  const results: InputResult[] = [];
  const inputs = req.inputs;
  for (let i = 0; i < inputs.length; ) {
    const run = outlierRun(inputs, i);
    if (run > OUTLIER_BATCH_MIN) {
      results.push(...(await inputOutlierRun(ctx, inputs.slice(i, i + run))));
      i += run;
      continue;
    }
    const input = inputs[i++]!;
    const verified = await verifyIncomingEvent(ctx, input.event, roomVersion(input.roomVersion), input.origin);
    if (!verified.ok) {
      results.push(unverified(verified));
      continue;
    }
    const { event } = verified;
    results.push(await ctx.queue.run(event.roomId, () => inputVerifiedEvent(ctx, input, event)));
  }
  return { results };
}

/** Consecutive outliers of one room worth writing together (a join's state). */
const OUTLIER_BATCH_MIN = 8;

/** How many inputs from `start` are outliers of the same room version (and claimed room). */
function outlierRun(inputs: readonly InputRoomEvent[], start: number): number {
  const first = inputs[start];
  if (first?.kind !== 'outlier') return 0;
  let n = 0;
  while (inputs[start + n]?.kind === 'outlier' && inputs[start + n]!.roomVersion === first.roomVersion && inputs[start + n]!.event.room_id === first.event.room_id) n++;
  return n;
}

/** Verifies a run of outliers, then checks and stores the verified ones as one batch in the room's queue. */
async function inputOutlierRun(ctx: RoomserverInternalContext, run: readonly InputRoomEvent[]): Promise<InputResult[]> {
  const slots: (InputResult | RoomEvent)[] = [];
  for (const input of run) {
    const verified = await verifyIncomingEvent(ctx, input.event, roomVersion(input.roomVersion), input.origin);
    slots.push(verified.ok ? verified.event : unverified(verified));
  }
  const events = slots.filter((s): s is RoomEvent => 'json' in s);
  const roomId = events[0]?.roomId;
  // v12 create events carry no room_id: the run is of one claimed room, the parsed IDs decide.
  const stored = roomId === undefined || events.some((e) => e.roomId !== roomId) ? await perEvent(ctx, events) : await ctx.queue.run(roomId, () => inputOutlierBatch(ctx, events));
  let next = 0;
  return slots.map((s) => ('json' in s ? stored[next++]! : s));
}

/** Outliers of several rooms (a malformed batch): one at a time, each in its room's queue. */
async function perEvent(ctx: RoomserverInternalContext, events: readonly RoomEvent[]): Promise<InputResult[]> {
  const out: InputResult[] = [];
  for (const event of events) out.push(await ctx.queue.run(event.roomId, () => inputVerifiedEvent(ctx, { kind: 'outlier', event: event.json, roomVersion: event.roomVersion.id }, event)));
  return out;
}

function unverified(v: Extract<VerifiedEvent, { ok: false }>): InputResult {
  return { eventId: v.eventId, accepted: false, softFailed: false, rejection: v.rejection };
}
