import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pusher } from '../api.js';
import { gatewayRequests, pushPriority, type PushContent } from './push-payload.js';

function pusher(pushkey: string, data: Pusher['data'], extra: Partial<Pusher> = {}): Pusher {
  return {
    pushkey,
    kind: 'http',
    appId: 'org.example',
    appDisplayName: 'App',
    deviceDisplayName: 'Phone',
    profileTag: null,
    lang: 'en',
    data,
    pushkeyTs: 1_700_000_123_456,
    deviceId: 'DEV',
    ...extra,
  };
}

const content: PushContent = {
  eventId: '$ev',
  roomId: '!r:hs',
  event: { event_id: '$ev', room_id: '!r:hs', type: 'm.room.message', sender: '@a:hs', content: { msgtype: 'm.text', body: 'hi' }, origin_server_ts: 5 },
  senderDisplayName: 'Alice',
  roomName: 'Chat',
  roomAlias: '#chat:hs',
  userId: '@b:hs',
  tweaks: { sound: 'default' },
  unread: 4,
};

describe('push payloads', () => {
  it('groups pushers by URL and format, full payload minus the url in data', () => {
    const reqs = gatewayRequests(
      [
        pusher('k1', { url: 'https://gw/_matrix/push/v1/notify', extra: 1 }),
        pusher('k2', { url: 'https://gw/_matrix/push/v1/notify' }, { appId: 'org.other' }),
        pusher('k3', { url: 'https://gw/_matrix/push/v1/notify', format: 'event_id_only' }),
        pusher('k4', { url: 'https://other/_matrix/push/v1/notify' }, { kind: 'email' }),
        pusher('k5', { format: 'event_id_only' }),
      ],
      content,
    );
    assert.deepEqual(
      reqs.map((r) => [r.url, r.pushers.map((p) => p.pushkey)]),
      [
        ['https://gw/_matrix/push/v1/notify', ['k1', 'k2']],
        ['https://gw/_matrix/push/v1/notify', ['k3']],
      ],
    );
    assert.deepEqual(reqs[0]?.notification, {
      event_id: '$ev',
      room_id: '!r:hs',
      prio: 'high',
      counts: { unread: 4 },
      devices: [
        { app_id: 'org.example', pushkey: 'k1', pushkey_ts: 1_700_000_123, data: { extra: 1 }, tweaks: { sound: 'default' } },
        { app_id: 'org.other', pushkey: 'k2', pushkey_ts: 1_700_000_123, data: {}, tweaks: { sound: 'default' } },
      ],
      type: 'm.room.message',
      sender: '@a:hs',
      sender_display_name: 'Alice',
      room_name: 'Chat',
      room_alias: '#chat:hs',
      content: { msgtype: 'm.text', body: 'hi' },
    });
    // event_id_only: IDs, counts, devices and priority only.
    assert.deepEqual(reqs[1]?.notification, {
      event_id: '$ev',
      room_id: '!r:hs',
      prio: 'high',
      counts: { unread: 4 },
      devices: [{ app_id: 'org.example', pushkey: 'k3', pushkey_ts: 1_700_000_123, data: { format: 'event_id_only' }, tweaks: { sound: 'default' } }],
    });
  });

  it('says whether the user is the target of a membership event', () => {
    const invite = { ...content, event: { type: 'm.room.member', state_key: '@b:hs', sender: '@a:hs', content: { membership: 'invite' } } };
    const [req] = gatewayRequests([pusher('k', { url: 'https://gw/n' })], invite);
    assert.equal(req?.notification.user_is_target, true);
  });

  it('is high priority for highlights, sounds and encrypted events only', () => {
    assert.equal(pushPriority({ event: { type: 'm.room.message' }, tweaks: {} }), 'low');
    assert.equal(pushPriority({ event: { type: 'm.room.message' }, tweaks: { highlight: false } }), 'low');
    assert.equal(pushPriority({ event: { type: 'm.room.message' }, tweaks: { highlight: true } }), 'high');
    assert.equal(pushPriority({ event: { type: 'm.room.message' }, tweaks: { sound: 'default' } }), 'high');
    assert.equal(pushPriority({ event: { type: 'm.room.encrypted' }, tweaks: {} }), 'high');
  });
});
