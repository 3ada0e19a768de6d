/** The durable push queue of the userapi's notification storage, on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Pusher } from '../../src/userapi/api.js';
import type { NotificationPush, NotificationStorage } from '../../src/userapi/storage/notification-storage.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { notificationBuilder, notificationStorageFixture, T0 } from './notification-storage-fixture.js';
import { TEST_SERVER_NAME } from './userapi-test-kit.js';

const ROOM = '!queue:t';
const OTHER = '!queue-other:t';

const PUSH: NotificationPush = {
  event: { type: 'm.room.message', sender: '@x:t', content: { body: 'hi' } },
  senderDisplayName: 'X',
  roomName: 'Room',
  roomAlias: '#room:t',
  tweaks: { sound: 'default' },
};

describeEachBackend('userapi push queue storage', (ctx) => {
  describe('userapi_push_queue', () => suite(ctx));
});

const note = notificationBuilder(ROOM);

function pusher(pushkey: string, kind: Pusher['kind'] = 'http'): Pusher {
  return {
    pushkey,
    kind,
    appId: 'org.example',
    appDisplayName: 'App',
    deviceDisplayName: 'Phone',
    profileTag: null,
    lang: 'en',
    data: kind === 'http' ? { url: 'https://gw.example/_matrix/push/v1/notify' } : {},
    pushkeyTs: T0,
    deviceId: null,
  };
}

function suite(ctx: BackendContext): void {
  const f = notificationStorageFixture(ctx, 'push-queue-storage-test');
  let n: NotificationStorage;
  const queue = async () => (await n.getQueuedPushes(100)).map((q) => [q.notificationId, q.pending]);
  before(async () => {
    n = f.n;
    await f.kit.storage.pushers.setPusher('ann', pusher('ann-1'), true);
    await f.kit.storage.pushers.setPusher('ann', pusher('ann-2'), true);
    await f.kit.storage.pushers.setPusher('em', pusher('em-1', 'email'), true);
  });

  it('queues the push of an unread notification of a user with an http pusher, and no other', async () => {
    const added = await n.addNotifications([
      note('ann', '$q1', 1, { push: PUSH }),
      note('bo', '$q1', 1, { push: PUSH }),
      note('em', '$q1', 1, { push: PUSH }),
      note('ann', '$q2', 2),
    ]);
    assert.deepEqual(
      added.map((a) => [a.notification.localpart, a.notification.eventId, a.id, a.streamPosition, a.queuedPush !== undefined]),
      [
        ['ann', '$q1', 1, 1, true],
        ['bo', '$q1', 2, 2, false],
        ['em', '$q1', 3, 3, false],
        ['ann', '$q2', 4, 4, false],
      ],
    );
    const content = { ...PUSH, eventId: '$q1', roomId: ROOM, userId: `@ann:${TEST_SERVER_NAME}`, unread: 2 };
    assert.deepEqual(added[0]?.queuedPush, content);
    assert.deepEqual(await n.getQueuedPushes(10), [{ notificationId: 1, content, createdTs: T0 + 1001, pending: true }]);
  });

  it('queues nothing for a notification its user already read past', async () => {
    assert.equal(await n.markNotificationsRead('ann', OTHER, { roomPosition: 50 }), undefined);
    const added = await n.addNotifications([note('ann', '$q3', 40, { roomId: OTHER, push: PUSH })]);
    assert.deepEqual(added.map((a) => [a.id, a.read, a.queuedPush]), [[5, true, undefined]]);
    assert.deepEqual(await queue(), [[1, true]]);
  });

  it('lists oldest first up to a limit, the read ones as not pending', async () => {
    await n.addNotifications([note('ann', '$q4', 3, { push: PUSH })]);
    await n.addNotifications([note('ann', '$q5', 4, { push: PUSH })]);
    assert.deepEqual((await n.getQueuedPushes(2)).map((q) => q.notificationId), [1, 6]);
    assert.deepEqual((await n.getQueuedPushes(10)).map((q) => [q.notificationId, q.content.eventId, q.content.unread, q.createdTs]), [
      [1, '$q1', 2, T0 + 1001],
      [6, '$q4', 3, T0 + 1003],
      [7, '$q5', 4, T0 + 1004],
    ]);
    await n.markNotificationsRead('ann', ROOM, { roomPosition: 3 });
    assert.deepEqual(await queue(), [
      [1, false],
      [6, false],
      [7, true],
    ]);
  });

  it('deletes rows by notification ID and by age', async () => {
    await n.deleteQueuedPushes([1, 6, 999]);
    assert.deepEqual(await queue(), [[7, true]]);
    assert.equal(await n.deleteQueuedPushesBefore(T0 + 1004), 0);
    assert.equal(await n.deleteQueuedPushesBefore(T0 + 1005), 1);
    assert.deepEqual(await queue(), []);
    await n.deleteQueuedPushes([]);
  });

  it("drops a redacted event's queued push; a pruned notification's row is reported not pending", async () => {
    const [q6, q7] = [
      (await n.addNotifications([note('ann', '$q6', 5, { push: PUSH })]))[0]?.id,
      (await n.addNotifications([note('ann', '$q7', 6, { push: PUSH })]))[0]?.id,
    ];
    // Position 8 went to the counts announced by the receipt above.
    assert.deepEqual([q6, q7], [9, 10]);
    assert.deepEqual(await queue(), [
      [q6, true],
      [q7, true],
    ]);
    await n.removeEventNotifications('$q6');
    assert.deepEqual(await queue(), [[q7, true]]);
    await n.markNotificationsRead('ann', ROOM, { roomPosition: 6 });
    assert.ok((await n.pruneReadNotifications(Number.MAX_SAFE_INTEGER)) > 0);
    assert.deepEqual(await queue(), [[q7, false]]);
  });
}
