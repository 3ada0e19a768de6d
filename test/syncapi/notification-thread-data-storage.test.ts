/**
 * Per-thread unread counts in the syncapi, on SQLite and PostgreSQL: the consumer stores the
 * main-timeline / per-thread split a message carries (none for a message without one, as those
 * queued before thread counts existed: all main), and the `notification_data` provider serves
 * `unread_notifications` as the main timeline's plus `unread_thread_notifications` when the
 * timeline filter asks, the totals otherwise.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { handleNotificationData } from '../../src/syncapi/consumers/userapi-notification-data.js';
import { parseSyncFilter } from '../../src/syncapi/filter/parse-filter.js';
import { openSyncStorage, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { createNotificationDataPosition, notificationDataStreamProvider } from '../../src/syncapi/sync/notification-data-stream-provider.js';
import type { SyncRequestContext } from '../../src/syncapi/sync/stream-provider.js';
import { emptySyncResponse } from '../../src/syncapi/sync/sync-response.js';
import type { NotificationCountsChanged } from '../../src/userapi/producers/output-notification-data.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const ALICE = '@alice:hs.test';
const R1 = '!one:hs.test';
const R2 = '!two:hs.test';
const ROOT = '$root';
const ROOT2 = '$root2';

describeEachBackend('syncapi thread notification counts', (ctx) => suite(ctx));

const c = (notificationCount: number, highlightCount: number) => ({ notificationCount, highlightCount });
const wire = (notification_count: number, highlight_count: number) => ({ notification_count, highlight_count });

function change(roomId: string, streamPosition: number, rest: Partial<NotificationCountsChanged>): NotificationCountsChanged {
  return { type: 'notification_counts', userId: ALICE, roomId, notificationCount: 0, highlightCount: 0, streamPosition, ...rest };
}

function context(filter: unknown = {}): SyncRequestContext {
  return {
    userId: ALICE,
    deviceId: 'DEV',
    filter: parseSyncFilter(filter),
    useStateAfter: false,
    now: 0,
    fullState: false,
    memberships: [
      { roomId: R1, membership: 'join', eventId: '$j1', addedAt: 1 },
      { roomId: R2, membership: 'join', eventId: '$j2', addedAt: 2 },
    ],
    response: emptySyncResponse(),
  };
}
const THREADED = { room: { timeline: { unread_thread_notifications: true } } };
const roomsOf = (ctx: SyncRequestContext) =>
  Object.fromEntries(
    Object.entries(ctx.response.rooms.join).map(([roomId, r]) => [roomId, { unread: r.unread_notifications, threads: r.unread_thread_notifications }]),
  );

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  const woken: string[] = [];
  const position = createNotificationDataPosition(0);
  const handle = (msg: NotificationCountsChanged) => handleNotificationData({ storage, position, wakeSoon: (u) => void woken.push(u) }, msg);
  before(async () => {
    storage = await openSyncStorage(await ctx.open());
  });

  it('stores the split a message carries, and none for a message without one', async () => {
    await handle(change(R1, 10, { ...c(5, 2), main: c(1, 1), threads: { [ROOT]: c(3, 1), [ROOT2]: c(1, 0) } }));
    // As queued before thread counts existed: totals only.
    await handle(change(R2, 11, c(4, 1)));
    const stored = (await storage.notificationCounts(ALICE)).sort((a, b) => a.position - b.position);
    assert.deepEqual(stored, [
      { roomId: R1, ...c(5, 2), position: 1, split: { main: c(1, 1), threads: { [ROOT]: c(3, 1), [ROOT2]: c(1, 0) } } },
      { roomId: R2, ...c(4, 1), position: 2 },
    ]);
    assert.deepEqual(woken, [ALICE, ALICE]);
  });

  it('provider with unread_thread_notifications: main-timeline counts and the threads by root', async () => {
    const p = notificationDataStreamProvider(storage, position);
    const threaded = context(THREADED);
    await p.initial(threaded, position.get());
    assert.deepEqual(roomsOf(threaded), {
      [R1]: { unread: wire(1, 1), threads: { [ROOT]: wire(3, 1), [ROOT2]: wire(1, 0) } },
      // No split stored: every count is main-timeline, and no thread object.
      [R2]: { unread: wire(4, 1), threads: undefined },
    });
    assert.equal('unread_thread_notifications' in threaded.response.rooms.join[R2]!, false);
  });

  it('provider without it (absent or false): the totals, no thread counts', async () => {
    const p = notificationDataStreamProvider(storage, position);
    for (const filter of [{}, { room: { timeline: { unread_thread_notifications: false } } }]) {
      const plain = context(filter);
      await p.initial(plain, position.get());
      assert.deepEqual(roomsOf(plain), { [R1]: { unread: wire(5, 2), threads: undefined }, [R2]: { unread: wire(4, 1), threads: undefined } });
      assert.equal('unread_thread_notifications' in plain.response.rooms.join[R1]!, false);
    }
  });

  it("a thread's change alone brings the room into an incremental sync; a thread read to zero leaves the object", async () => {
    const p = notificationDataStreamProvider(storage, position);
    const from = position.get();
    // ROOT2 read; totals move with it (the userapi always sends them).
    await handle(change(R1, 12, { ...c(4, 2), main: c(1, 1), threads: { [ROOT]: c(3, 1) } }));
    const threaded = context(THREADED);
    await p.incremental(threaded, from, position.get());
    assert.deepEqual(roomsOf(threaded), { [R1]: { unread: wire(1, 1), threads: { [ROOT]: wire(3, 1) } } });
    // Every thread read: the userapi sends the plain shape again, and the split goes.
    await handle(change(R1, 13, c(1, 1)));
    const after = context(THREADED);
    await p.incremental(after, from + 1, position.get());
    assert.deepEqual(roomsOf(after), { [R1]: { unread: wire(1, 1), threads: undefined } });
    assert.equal((await storage.notificationCounts(ALICE)).find((x) => x.roomId === R1)?.split, undefined);
  });

  it('a message with threads but no main: the main timeline is what the threads leave; zero threads are dropped', async () => {
    await handle(change(R2, 14, { ...c(6, 2), threads: { [ROOT]: c(2, 1), [ROOT2]: c(0, 0) } }));
    const stored = (await storage.notificationCounts(ALICE)).find((x) => x.roomId === R2);
    assert.deepEqual(stored?.split, { main: c(4, 1), threads: { [ROOT]: c(2, 1) } });
  });
}
