/**
 * `GET /_matrix/client/v3/notifications` (served by the syncapi from the userapi's
 * `queryNotifications`) and `unread_notifications` end to end, against a real monolith: a
 * member's messages notify the other (the default push rules), a mention highlights; the list is
 * newest first, `only=highlight` and `limit` / `next_token` page it, events come without
 * `room_id`; the counts reach `/sync` through the userapi's `OutputNotificationData`, and a
 * read receipt clears them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

interface NotificationJson {
  actions: unknown[];
  event: Record<string, unknown>;
  profile_tag?: string;
  read: boolean;
  room_id: string;
  ts: number;
}
interface NotificationsBody {
  notifications: NotificationJson[];
  next_token?: string;
}

describe('syncapi: /notifications', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: string;
  let hello: string;
  let mention: string;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, shared_secret: SHARED_SECRET } });
    [alice, bob] = [await s.register('alice'), await s.register('bob')];
    roomId = await create(alice, { preset: 'private_chat', invite: [bob.userId] });
    ok(await post(bob, `/join/${enc(roomId)}`));
    hello = await send(bob, { msgtype: 'm.text', body: 'hello' });
    mention = await send(bob, { msgtype: 'm.text', body: 'hey alice', 'm.mentions': { user_ids: [alice.userId] } });
  });
  after(() => s.stop());

  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const send = async (u: TestUser, content: Record<string, unknown>) => String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/n${++txn}`, content)).event_id);
  const notifications = async (u: TestUser, query = ''): Promise<NotificationsBody> =>
    ok(await s.call('GET', `${V3}/notifications${query}`, { token: u.accessToken })) as unknown as NotificationsBody;
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > deadline) assert.fail(`never satisfied; last: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const unreadOf = async (u: TestUser) => {
    const body = ok(await s.call('GET', `${V3}/sync?set_presence=offline`, { token: u.accessToken })) as { rooms: { join: Record<string, { unread_notifications: unknown }> } };
    return body.rooms.join[roomId]?.unread_notifications;
  };

  it("lists the other member's messages, newest first, in the spec's shape", async () => {
    const body = await until(() => notifications(alice), (b) => b.notifications.length >= 2);
    assert.deepEqual(
      body.notifications.map((n) => n.event.event_id),
      [mention, hello],
    );
    for (const n of body.notifications) {
      assert.equal(n.room_id, roomId);
      assert.equal(n.read, false);
      assert.equal(typeof n.ts, 'number');
      assert.ok(n.actions.includes('notify'), JSON.stringify(n.actions));
      assert.equal('room_id' in n.event, false, 'client_event_without_room_id');
      assert.equal(n.event.sender, bob.userId);
      assert.equal(n.event.type, 'm.room.message');
    }
    assert.equal(body.next_token, undefined);
    assert.deepEqual(body.notifications[1]!.event.content, { msgtype: 'm.text', body: 'hello' });
    // Bob's own messages notify nobody for him; his invite did (`.m.rule.invite_for_me`).
    assert.deepEqual(
      (await notifications(bob)).notifications.map((n) => [n.event.type, n.event.state_key]),
      [['m.room.member', bob.userId]],
    );
  });

  it('only=highlight keeps the mention', async () => {
    const body = await notifications(alice, '?only=highlight');
    assert.deepEqual(
      body.notifications.map((n) => n.event.event_id),
      [mention],
    );
    assert.ok(body.notifications[0]!.actions.some((a) => typeof a === 'object' && a !== null && (a as Record<string, unknown>).set_tweak === 'highlight'));
  });

  it('limit and next_token page through the list', async () => {
    const first = await notifications(alice, '?limit=1');
    assert.deepEqual(
      first.notifications.map((n) => n.event.event_id),
      [mention],
    );
    assert.equal(typeof first.next_token, 'string');
    const second = await notifications(alice, `?limit=1&from=${enc(first.next_token!)}`);
    assert.deepEqual(
      second.notifications.map((n) => n.event.event_id),
      [hello],
    );
  });

  it('the counts reach /sync, and a read receipt clears them', async () => {
    const counts = await until(() => unreadOf(alice), (u) => JSON.stringify(u) === JSON.stringify({ notification_count: 2, highlight_count: 1 }));
    assert.deepEqual(counts, { notification_count: 2, highlight_count: 1 });
    ok(await post(alice, `/rooms/${enc(roomId)}/receipt/m.read/${enc(mention)}`, {}));
    const cleared = await until(() => unreadOf(alice), (u) => JSON.stringify(u) === JSON.stringify({ notification_count: 0, highlight_count: 0 }));
    assert.deepEqual(cleared, { notification_count: 0, highlight_count: 0 });
    const read = await until(() => notifications(alice), (b) => b.notifications.every((n) => n.read));
    assert.deepEqual(
      read.notifications.map((n) => [n.event.event_id, n.read]),
      [
        [mention, true],
        [hello, true],
      ],
    );
  });
});
