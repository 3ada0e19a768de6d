/**
 * Test support: room summaries as the roomserver hands them out, with every field at its
 * plainest (no name, topic or alias, not world-readable, no guests) unless a test says otherwise.
 */
import type { PublicRoomSummary, RoomSummary } from '../../roomserver/api.js';

/** A room's full summary: one member, invite-only, version 11, no membership of the asker, no children. */
export function testRoomSummary(roomId: string, over: Partial<RoomSummary> = {}): RoomSummary {
  return {
    ...testPublicRoomSummary(roomId, 1, { joinRule: 'invite' }),
    roomVersion: '11',
    encryption: null,
    allowedRoomIds: [],
    membership: null,
    childrenState: [],
    ...over,
  };
}

/** A published room's summary with `members` joined members and no join rule. */
export function testPublicRoomSummary(roomId: string, members: number, extra: Partial<PublicRoomSummary> = {}): PublicRoomSummary {
  return {
    roomId,
    name: null,
    topic: null,
    canonicalAlias: null,
    numJoinedMembers: members,
    worldReadable: false,
    guestCanJoin: false,
    avatarUrl: null,
    joinRule: null,
    roomType: null,
    ...extra,
  };
}
