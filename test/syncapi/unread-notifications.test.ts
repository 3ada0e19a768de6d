/**
 * `unread_notifications` of `/sync` against a real monolith: the userapi's counts reach the
 * syncapi through the real bus (this suite publishes `OutputNotificationData` itself, standing in
 * for the userapi's notifications pipeline, whose own suite covers the counting). Initial syncs
 * carry every joined room's counts (0/0 when never counted); an incremental long-poll wakes on a
 * change and lists just the changed room; a redelivered or older change does nothing; the token's
 * `notification_data` position moves.
 *
 * Positions start high so that counts the userapi itself may publish for these users (their own
 * events notify nobody, so it should publish none) could never outrank them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STREAM_NAMES, parseStreamToken } from '../../src/syncapi/sync/stream-token.js';
import { notificationCountsMessage } from '../../src/userapi/producers/output-notification-data.js';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';

interface SyncBody {
  next_batch: string;
  rooms: { join: Record<string, { unread_notifications: Record<string, unknown>; timeline: { events: unknown[] } }> };
}

describe('syncapi: unread_notifications', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let r1: string;
  let r2: string;
  let since: string;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, shared_secret: SHARED_SECRET } });
    alice = await s.register('alice');
    r1 = await create(alice, { name: 'one' });
    r2 = await create(alice, { name: 'two' });
  });
  after(() => s.stop());

  const { ok, create } = userCalls(() => s);
  let position = 1_000_000;
  const publish = (roomId: string, notificationCount: number, highlightCount: number, streamPosition = ++position) =>
    s.bus.publish([notificationCountsMessage({ userId: alice.userId, roomId, notificationCount, highlightCount, streamPosition })]);
  const sync = async (params: Record<string, string | number> = {}): Promise<SyncBody> => {
    const qs = new URLSearchParams(Object.entries({ set_presence: 'offline', ...params }).map(([k, v]): [string, string] => [k, String(v)]));
    return ok(await s.call('GET', `${V3}/sync?${qs}`, { token: alice.accessToken })) as unknown as SyncBody;
  };
  const notificationDataOf = (token: string) => parseStreamToken(token).notification_data;
  /** Initial syncs until `done` holds (the consumers have caught up). */
  const initialUntil = async (done: (b: SyncBody) => boolean): Promise<SyncBody> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync();
      if (done(body)) return body;
      if (Date.now() > deadline) assert.fail(`sync never satisfied the condition; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('the stream has its place in the token', () => {
    assert.equal(STREAM_NAMES.indexOf('notification_data'), 7);
  });

  it('initial sync: the counted room has its counts, another joined room 0/0', async () => {
    await publish(r1, 3, 1);
    const body = await initialUntil((b) => b.rooms.join[r1]?.unread_notifications.notification_count === 3 && b.rooms.join[r2] !== undefined);
    assert.deepEqual(body.rooms.join[r1]!.unread_notifications, { notification_count: 3, highlight_count: 1 });
    assert.deepEqual(body.rooms.join[r2]!.unread_notifications, { notification_count: 0, highlight_count: 0 });
    assert.ok(notificationDataOf(body.next_batch) > 0);
    since = body.next_batch;
  });

  it('incremental: a long-poll wakes on new counts and lists only the changed room', async () => {
    const started = Date.now();
    const polling = sync({ since, timeout: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    await publish(r2, 2, 0);
    const body = await polling;
    assert.ok(Date.now() - started < 10_000, 'woken, not timed out');
    assert.deepEqual(Object.keys(body.rooms.join), [r2]);
    assert.deepEqual(body.rooms.join[r2]!.unread_notifications, { notification_count: 2, highlight_count: 0 });
    assert.deepEqual(body.rooms.join[r2]!.timeline.events, []);
    assert.ok(notificationDataOf(body.next_batch) > notificationDataOf(since), 'the token moves');
    since = body.next_batch;
  });

  it('a redelivered or older change does nothing; the next real one comes through alone', async () => {
    const current = position;
    await publish(r2, 9, 9, current); // the same position again
    await publish(r2, 8, 8, current - 1); // an older one
    await publish(r1, 0, 0); // a newer one of another room, processed after them (same key)
    const body = await sync({ since, timeout: 10_000 });
    assert.deepEqual(Object.keys(body.rooms.join), [r1]);
    assert.deepEqual(body.rooms.join[r1]!.unread_notifications, { notification_count: 0, highlight_count: 0 });
    const next = notificationDataOf(body.next_batch);
    assert.equal(next, notificationDataOf(since) + 1, 'one position taken: the stale changes took none');
    const initial = await sync();
    assert.deepEqual(initial.rooms.join[r2]!.unread_notifications, { notification_count: 2, highlight_count: 0 });
    assert.deepEqual(initial.rooms.join[r1]!.unread_notifications, { notification_count: 0, highlight_count: 0 });
  });

  it('a filter leaving the room out keeps the change out', async () => {
    const token = (await sync()).next_batch;
    const filter = JSON.stringify({ room: { not_rooms: [r1] } });
    await publish(r1, 5, 5);
    await publish(r2, 1, 1);
    // Answered once r2's change is in (r1's alone, filtered out, leaves the long-poll waiting).
    const body = await sync({ since: token, timeout: 10_000, filter });
    assert.deepEqual(Object.keys(body.rooms.join), [r2]);
    assert.deepEqual(body.rooms.join[r2]!.unread_notifications, { notification_count: 1, highlight_count: 1 });
  });

  it('GET /notifications: needs an access token; limit must be an integer of at least 1', async () => {
    const none = await s.call('GET', `${V3}/notifications`);
    assert.equal(none.status, 401);
    assert.equal(none.body.errcode, 'M_MISSING_TOKEN');
    for (const limit of ['0', '-1', 'ten', '1.5']) {
      const res = await s.call('GET', `${V3}/notifications?limit=${limit}`, { token: alice.accessToken });
      assert.equal(res.status, 400, `limit=${limit}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.errcode, 'M_INVALID_PARAM');
    }
  });
});
