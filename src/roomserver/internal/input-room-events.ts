/**
 * `inputRoomEvents`: events from federation, backfill and joins. Each is parsed and verified
 * first (signatures and hashes need no room lock), then checked and stored in its room's queue,
 * in the order given (an event may depend on one before it in the same request).
 */
import { roomVersion } from '../../matrix/room-version.js';
import type { InputResult, InputRoomEventsRequest, InputRoomEventsResponse } from '../api.js';
import { inputVerifiedEvent } from './input-room-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';
import { verifyIncomingEvent } from './verify-incoming-event.js';

/**
 * One result per input, in order. Events failing format or signature checks are dropped (not
 * stored) and reported with rule `format` or `signatures/…`.
 * @throws MatrixError `M_UNSUPPORTED_ROOM_VERSION` for an unknown room version.
 */
export async function inputRoomEvents(ctx: RoomserverInternalContext, req: InputRoomEventsRequest): Promise<InputRoomEventsResponse> {
  const results: InputResult[] = [];
  for (const input of req.inputs) {
    const verified = await verifyIncomingEvent(ctx, input.event, roomVersion(input.roomVersion), input.origin);
    if (!verified.ok) {
      results.push({ eventId: verified.eventId, accepted: false, softFailed: false, rejection: verified.rejection });
      continue;
    }
    const { event } = verified;
    results.push(await ctx.queue.run(event.roomId, () => inputVerifiedEvent(ctx, input, event)));
  }
  return { results };
}
