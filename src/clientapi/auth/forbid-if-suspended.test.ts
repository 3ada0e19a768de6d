import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { Requester } from '../../internal/httputil/route.js';
import type { QueryEventsRequest, StoredRoomEvent } from '../../roomserver/api.js';
import { forbidIfSuspended, forbidSuspendedRedaction } from './forbid-if-suspended.js';

const carol: Requester = { userId: '@carol:hs.test', deviceId: 'D', isGuest: false, isAdmin: false, appserviceId: undefined, suspended: true };
const active: Requester = { ...carol, suspended: false };

const event = (eventId: string, roomId: string, sender: string): StoredRoomEvent => ({
  eventId,
  roomId,
  roomVersion: '11',
  event: { type: 'm.room.message', sender, content: {} },
  rejected: false,
  outlier: false,
});

function roomserver() {
  const asked: string[][] = [];
  const known = [event('$own', '!r:hs.test', carol.userId), event('$theirs', '!r:hs.test', '@dan:hs.test'), event('$elsewhere', '!other:hs.test', carol.userId)];
  return {
    asked,
    rs: {
      queryEvents: async (req: QueryEventsRequest) => {
        asked.push([...req.eventIds]);
        return { events: known.filter((e) => req.eventIds.includes(e.eventId)) };
      },
    },
  };
}

const suspended = (e: unknown) => e instanceof MatrixError && e.status === 403 && e.errcode === 'M_USER_SUSPENDED';

describe('forbidIfSuspended', () => {
  it('refuses only suspended requesters', () => {
    assert.throws(() => forbidIfSuspended(carol), suspended);
    forbidIfSuspended(active);
    forbidIfSuspended({ ...carol, suspended: undefined });
    forbidIfSuspended(undefined);
  });
});

describe('forbidSuspendedRedaction', () => {
  it('lets a suspended user redact their own event in the room', async () => {
    const { rs, asked } = roomserver();
    await forbidSuspendedRedaction(rs, carol, '!r:hs.test', '$own');
    assert.deepEqual(asked, [['$own']]);
  });

  it("refuses others' events, events of another room, unknown events and a missing target", async () => {
    const { rs } = roomserver();
    await assert.rejects(forbidSuspendedRedaction(rs, carol, '!r:hs.test', '$theirs'), suspended);
    await assert.rejects(forbidSuspendedRedaction(rs, carol, '!r:hs.test', '$elsewhere'), suspended);
    await assert.rejects(forbidSuspendedRedaction(rs, carol, '!r:hs.test', '$unknown'), suspended);
    await assert.rejects(forbidSuspendedRedaction(rs, carol, '!r:hs.test', undefined), suspended);
  });

  it('looks nothing up for a requester who is not suspended', async () => {
    const { rs, asked } = roomserver();
    await forbidSuspendedRedaction(rs, active, '!r:hs.test', '$theirs');
    assert.deepEqual(asked, []);
  });
});
