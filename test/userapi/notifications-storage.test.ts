/** The userapi's notification storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { NotificationStorage } from '../../src/userapi/storage/notification-storage.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { notificationBuilder, notificationStorageFixture, T0 } from './notification-storage-fixture.js';
import { TEST_SERVER_NAME } from './userapi-test-kit.js';

const ROOM = '!room:t';
const OTHER = '!other:t';

describeEachBackend('userapi notification storage', (ctx) => {
  describe('userapi_notifications', () => suite(ctx));
});

const note = notificationBuilder(ROOM);

function suite(ctx: BackendContext): void {
  const f = notificationStorageFixture(ctx, 'notifications-storage-test');
  const { delivered, waitFor } = f;
  let n: NotificationStorage;
  before(() => {
    n = f.n;
  });

  it('starts empty', async () => {
    assert.equal(await n.getNotificationPosition(), 0);
    assert.deepEqual(await n.getNotifications('ann', { before: undefined, limit: 10, onlyHighlight: false }), []);
    assert.deepEqual(await n.getRoomCounts('ann', ROOM), { notificationCount: 0, highlightCount: 0 });
    assert.equal(await n.getUnreadTotal('ann'), 0);
  });

  it('stores notifications with positions, counts and one message each; a repeated one is skipped', async () => {
    const first = await n.addNotifications([note('ann', '$e1', 10), note('bo', '$e1', 10, { highlight: true, actions: ['notify', { set_tweak: 'highlight' }] })]);
    assert.deepEqual(
      first.map((a) => [a.notification.localpart, a.streamPosition, a.counts, a.unreadTotal]),
      [
        ['ann', 1, { notificationCount: 1, highlightCount: 0 }, 1],
        ['bo', 2, { notificationCount: 1, highlightCount: 1 }, 1],
      ],
    );
    // Redelivery of the same event for ann, and a new one in another room.
    const second = await n.addNotifications([note('ann', '$e1', 10), note('ann', '$e2', 3, { roomId: OTHER, highlight: true })]);
    assert.deepEqual(
      second.map((a) => [a.notification.eventId, a.streamPosition, a.counts, a.unreadTotal]),
      [['$e2', 3, { notificationCount: 1, highlightCount: 1 }, 2]],
    );
    await n.addNotifications([note('ann', '$e3', 11, { highlight: true })]);
    assert.deepEqual(await n.getRoomCounts('ann', ROOM), { notificationCount: 2, highlightCount: 1 });
    assert.equal(await n.getNotificationPosition(), 4);
    await waitFor(4);
    assert.deepEqual(delivered, [
      { type: 'notification_counts', userId: '@ann:' + TEST_SERVER_NAME, roomId: ROOM, notificationCount: 1, highlightCount: 0, streamPosition: 1 },
      { type: 'notification_counts', userId: '@bo:' + TEST_SERVER_NAME, roomId: ROOM, notificationCount: 1, highlightCount: 1, streamPosition: 2 },
      { type: 'notification_counts', userId: '@ann:' + TEST_SERVER_NAME, roomId: OTHER, notificationCount: 1, highlightCount: 1, streamPosition: 3 },
      { type: 'notification_counts', userId: '@ann:' + TEST_SERVER_NAME, roomId: ROOM, notificationCount: 2, highlightCount: 1, streamPosition: 4 },
    ]);
  });

  it('lists newest first, pages below a row id, and filters highlights', async () => {
    const all = await n.getNotifications('ann', { before: undefined, limit: 10, onlyHighlight: false });
    assert.deepEqual(
      all.map((r) => [r.id, r.eventId, r.roomId, r.roomPosition, r.highlight, r.read, r.ts, r.eventTs]),
      [
        [4, '$e3', ROOM, 11, true, false, T0 + 1011, T0 + 11],
        [3, '$e2', OTHER, 3, true, false, T0 + 1003, T0 + 3],
        [1, '$e1', ROOM, 10, false, false, T0 + 1010, T0 + 10],
      ],
    );
    assert.equal(all[2]?.actions, '["notify"]');
    const page = await n.getNotifications('ann', { before: 4, limit: 1, onlyHighlight: false });
    assert.deepEqual(page.map((r) => r.id), [3]);
    const highlights = await n.getNotifications('ann', { before: undefined, limit: 10, onlyHighlight: true });
    assert.deepEqual(highlights.map((r) => r.id), [4, 3]);
  });

  it('knows the room position of a notified event from any user', async () => {
    assert.equal(await n.getEventRoomPosition('$e1'), 10);
    assert.equal(await n.getEventRoomPosition('$nope'), undefined);
  });

  it('marks read up to a room position, announcing only a change', async () => {
    const change = await n.markNotificationsRead('ann', ROOM, { roomPosition: 10 });
    assert.deepEqual(change, { notificationCount: 1, highlightCount: 1, streamPosition: 5 });
    // Nothing else unread up to 10: no change, no message, no position taken.
    assert.equal(await n.markNotificationsRead('ann', ROOM, { roomPosition: 10 }), undefined);
    // Another room's and another user's rows are untouched.
    assert.deepEqual(await n.getRoomCounts('ann', OTHER), { notificationCount: 1, highlightCount: 1 });
    assert.deepEqual(await n.getRoomCounts('bo', ROOM), { notificationCount: 1, highlightCount: 1 });
    const byTs = await n.markNotificationsRead('ann', ROOM, { eventTs: T0 + 11 });
    assert.deepEqual(byTs, { notificationCount: 0, highlightCount: 0, streamPosition: 6 });
    assert.equal(await n.getUnreadTotal('ann'), 1);
    const rows = await n.getNotifications('ann', { before: undefined, limit: 10, onlyHighlight: false });
    assert.deepEqual(rows.map((r) => [r.eventId, r.read]), [['$e3', true], ['$e2', false], ['$e1', true]]);
    await waitFor(6);
    assert.deepEqual(delivered.slice(4).map((m) => [m.roomId, m.notificationCount, m.highlightCount, m.streamPosition]), [
      [ROOM, 1, 1, 5],
      [ROOM, 0, 0, 6],
    ]);
  });

  it('removes a redacted event\'s notifications, announcing counts of those who had it unread', async () => {
    await n.removeEventNotifications('$e1');
    assert.equal(await n.getEventRoomPosition('$e1'), undefined);
    assert.deepEqual(await n.getRoomCounts('bo', ROOM), { notificationCount: 0, highlightCount: 0 });
    await waitFor(7);
    // Only bo had it unread (ann had read it).
    assert.deepEqual(delivered.slice(6).map((m) => [m.userId, m.notificationCount, m.streamPosition]), [['@bo:' + TEST_SERVER_NAME, 0, 7]]);
    await n.removeEventNotifications('$e1');
    assert.equal(await n.getNotificationPosition(), 7);
  });

  it('prunes read notifications made before a time', async () => {
    assert.equal(await n.pruneReadNotifications(T0 + 1011), 0);
    assert.equal(await n.pruneReadNotifications(T0 + 1012), 1);
    const rows = await n.getNotifications('ann', { before: undefined, limit: 10, onlyHighlight: false });
    assert.deepEqual(rows.map((r) => r.eventId), ['$e2']);
  });

  it('keeps counts as notifications come and go: per room, summed across rooms, dropped once all read', async () => {
    const A = '!kept-a:t';
    const B = '!kept-b:t';
    const many = Array.from({ length: 30 }, (_, i) => note('eve', `$ka${i}`, 100 + i, { roomId: A, highlight: i % 10 === 0 }));
    await n.addNotifications(many);
    await n.addNotifications([note('eve', '$kb1', 5, { roomId: B }), note('eve', '$kb2', 6, { roomId: B })]);
    assert.deepEqual(await n.getRoomCounts('eve', A), { notificationCount: 30, highlightCount: 3 });
    assert.equal(await n.getUnreadTotal('eve'), 32);
    // Reading part of room A recounts A only; pruning read rows changes no count.
    assert.deepEqual(await n.markNotificationsRead('eve', A, { roomPosition: 114 }), { notificationCount: 15, highlightCount: 1, streamPosition: await n.getNotificationPosition() });
    await n.pruneReadNotifications(Number.MAX_SAFE_INTEGER);
    assert.deepEqual(await n.getRoomCounts('eve', A), { notificationCount: 15, highlightCount: 1 });
    assert.deepEqual(await n.getRoomCounts('eve', B), { notificationCount: 2, highlightCount: 0 });
    assert.equal(await n.getUnreadTotal('eve'), 17);
    // A redaction takes its notification out of the count.
    await n.removeEventNotifications('$ka20');
    assert.deepEqual(await n.getRoomCounts('eve', A), { notificationCount: 14, highlightCount: 0 });
    await n.markNotificationsRead('eve', A, { roomPosition: 1000 });
    assert.deepEqual(await n.getRoomCounts('eve', A), { notificationCount: 0, highlightCount: 0 });
    assert.equal(await n.getUnreadTotal('eve'), 2);
  });

  it('stores a notification its user already read past (the receipt came first) as read, and counts it so', async () => {
    const RACE = '!race:t';
    // The receipt names the event at room position 50 before its notification exists.
    assert.equal(await n.markNotificationsRead('cy', RACE, { roomPosition: 50 }), undefined);
    const added = await n.addNotifications([note('cy', '$r50', 50, { roomId: RACE }), note('cy', '$r51', 51, { roomId: RACE }), note('dee', '$r50', 50, { roomId: RACE })]);
    assert.deepEqual(
      added.map((a) => [a.notification.localpart, a.notification.eventId, a.read]).sort((x, y) => String(x).localeCompare(String(y))),
      [['cy', '$r50', true], ['cy', '$r51', false], ['dee', '$r50', false]],
    );
    assert.deepEqual(await n.getRoomCounts('cy', RACE), { notificationCount: 1, highlightCount: 0 });
    assert.deepEqual(await n.getRoomCounts('dee', RACE), { notificationCount: 1, highlightCount: 0 });
    // A later receipt at a lower position never lowers the marker.
    await n.markNotificationsRead('cy', RACE, { roomPosition: 10 });
    const late = await n.addNotifications([note('cy', '$r49', 49, { roomId: RACE })]);
    assert.equal(late[0]?.read, true);
  });
}
