import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { notificationsBody, notificationsLimit } from './notifications.js';

describe('/notifications', () => {
  it('limit: 20 by default, at most 100, 400 M_INVALID_PARAM below 1', () => {
    assert.equal(notificationsLimit(undefined), 20);
    assert.equal(notificationsLimit(1), 1);
    assert.equal(notificationsLimit(100), 100);
    assert.equal(notificationsLimit(5000), 100);
    for (const bad of [0, -3]) {
      assert.throws(() => notificationsLimit(bad), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_INVALID_PARAM' && e.status === 400);
    }
  });

  it("maps entries to the spec's Notification objects: event without room_id, profile_tag only when set", () => {
    const event = { type: 'm.room.message', room_id: '!r:hs', sender: '@b:hs', event_id: '$e', origin_server_ts: 5, content: { body: 'hi' } };
    const body = notificationsBody({
      notifications: [
        { actions: ['notify', { set_tweak: 'highlight' }], event, profileTag: 'tag', read: false, roomId: '!r:hs', ts: 7 },
        { actions: ['notify'], event: { ...event, event_id: '$f' }, profileTag: null, read: true, roomId: '!r:hs', ts: 6 },
      ],
      nextToken: 'next',
    });
    assert.deepEqual(body, {
      notifications: [
        {
          actions: ['notify', { set_tweak: 'highlight' }],
          event: { type: 'm.room.message', sender: '@b:hs', event_id: '$e', origin_server_ts: 5, content: { body: 'hi' } },
          profile_tag: 'tag',
          read: false,
          room_id: '!r:hs',
          ts: 7,
        },
        {
          actions: ['notify'],
          event: { type: 'm.room.message', sender: '@b:hs', event_id: '$f', origin_server_ts: 5, content: { body: 'hi' } },
          read: true,
          room_id: '!r:hs',
          ts: 6,
        },
      ],
      next_token: 'next',
    });
    assert.equal(event.room_id, '!r:hs', 'the entry itself is left as it was');
  });

  it('the last page has no next_token', () => {
    assert.deepEqual(notificationsBody({ notifications: [], nextToken: null }), { notifications: [] });
  });
});
