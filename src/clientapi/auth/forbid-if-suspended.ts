/**
 * What a suspended account may not do (spec "Account suspension"). The spec leaves the set to the
 * server and recommends refusing joins and knocks, sending and accepting invites, sending
 * messages, profile changes and redacting others' events; Axon refuses exactly those (plus room
 * creation and upgrades, which send events into a new room) and leaves reading, leaving, rejecting
 * invites, redacting one's own events, keys, devices and logout alone. Routes call these helpers
 * where the requester is known; the flag comes from the token owner (see `user-authenticator.ts`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { Requester } from '../../internal/httputil/route.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';

/** Throws M_USER_SUSPENDED (403) when the requester's account is suspended. */
export function forbidIfSuspended(requester: Requester | undefined): void {
  if (requester?.suspended === true) throw MatrixError.userSuspended();
}

/**
 * For redactions: a suspended account may redact only its own events in the room, so the target
 * is looked up; an event it cannot see as its own (unknown, in another room, someone else's)
 * is refused.
 */
export async function forbidSuspendedRedaction(
  rs: Pick<ClientRoomserverAPI, 'queryEvents'>,
  requester: Requester | undefined,
  roomId: string,
  redacts: unknown,
): Promise<void> {
  if (requester?.suspended !== true) return;
  if (typeof redacts !== 'string') throw MatrixError.userSuspended();
  const { events } = await rs.queryEvents({ eventIds: [redacts] });
  const [target] = events;
  if (!target || target.roomId !== roomId || target.event.sender !== requester.userId) throw MatrixError.userSuspended();
}
