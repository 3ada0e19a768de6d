/**
 * The syncapi's unread notification counts on SQLite and PostgreSQL: one row per (user, room)
 * taking a new `notification_data` position each time its counts change, redeliveries and stale
 * messages changing nothing (compared per room, so another room's change arriving out of the
 * userapi's order still lands), the consumer moving the in-memory position and waking only the
 * user, and the stream provider writing `unread_notifications` from it.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { createDeferredWaker, handleNotificationData } from '../../src/syncapi/consumers/userapi-notification-data.js';
import { parseSyncFilter } from '../../src/syncapi/filter/parse-filter.js';
import { openSyncStorage, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { createNotificationDataPosition, notificationDataStreamProvider } from '../../src/syncapi/sync/notification-data-stream-provider.js';
import type { SyncRequestContext } from '../../src/syncapi/sync/stream-provider.js';
import { emptySyncResponse, joinedRoom } from '../../src/syncapi/sync/sync-response.js';
import type { NotificationCountsChanged } from '../../src/userapi/producers/output-notification-data.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';
const R1 = '!one:hs.test';
const R2 = '!two:hs.test';
const R3 = '!three:hs.test';
const LEFT = '!left:hs.test';

describeEachBackend('syncapi notification counts storage', (ctx) => suite(ctx));

const counts = (c: Partial<NotificationCountsChanged> & Pick<NotificationCountsChanged, 'streamPosition'>): NotificationCountsChanged => ({
  type: 'notification_counts',
  userId: ALICE,
  roomId: R1,
  notificationCount: 1,
  highlightCount: 0,
  ...c,
});

/** Alice's sync context: joined to R1, R2, R3, left LEFT. */
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
      { roomId: R3, membership: 'join', eventId: '$j3', addedAt: 3 },
      { roomId: LEFT, membership: 'leave', eventId: '$l', addedAt: 4 },
    ],
    response: emptySyncResponse(),
  };
}
const unreadOf = (ctx: SyncRequestContext) => Object.fromEntries(Object.entries(ctx.response.rooms.join).map(([roomId, r]) => [roomId, r.unread_notifications]));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  before(async () => {
    storage = await openSyncStorage(await ctx.open());
  });

  it('a new position per change; redelivered and older counts of the room change nothing', async () => {
    assert.equal(await storage.latestNotificationDataPosition(), 0);
    assert.deepEqual(await storage.notificationCounts(ALICE), []);
    const w = (roomId: string, n: number, h: number, sourcePosition: number, userId = ALICE) =>
      storage.writeNotificationCounts([{ userId, roomId, notificationCount: n, highlightCount: h, sourcePosition }]).then(([p]) => p);
    assert.equal(await w(R1, 1, 0, 10), 1);
    assert.equal(await w(R2, 3, 1, 11), 2);
    assert.equal(await w(R1, 2, 1, 12), 3);
    assert.equal(await w(R1, 2, 1, 12), undefined, 'a redelivery');
    assert.equal(await w(R1, 9, 9, 11), undefined, 'an older change of the room');
    // Another room's change numbered before R1's latest but arriving after it still lands.
    assert.equal(await w(LEFT, 4, 0, 5), 4);
    assert.equal(await w(R1, 0, 0, 7, BOB), 5);
    assert.equal(await storage.latestNotificationDataPosition(), 5);
    const sorted = (await storage.notificationCounts(ALICE)).sort((a, b) => a.position - b.position);
    assert.deepEqual(sorted, [
      { roomId: R2, notificationCount: 3, highlightCount: 1, position: 2 },
      { roomId: R1, notificationCount: 2, highlightCount: 1, position: 3 },
      { roomId: LEFT, notificationCount: 4, highlightCount: 0, position: 4 },
    ]);
    assert.deepEqual(await storage.notificationCounts(BOB), [{ roomId: R1, notificationCount: 0, highlightCount: 0, position: 5 }]);
  });

  it('the consumer stores, moves the position and wakes only the user; a duplicate does neither', async () => {
    const woken: string[] = [];
    const position = createNotificationDataPosition(await storage.latestNotificationDataPosition());
    const deps = { storage, position, wakeSoon: (id: string) => void woken.push(id) };
    await handleNotificationData(deps, counts({ roomId: R3, notificationCount: 5, highlightCount: 2, streamPosition: 20 }));
    assert.equal(position.get(), 6);
    assert.deepEqual(woken, [ALICE]);
    await handleNotificationData(deps, counts({ roomId: R3, notificationCount: 7, highlightCount: 7, streamPosition: 20 }));
    await handleNotificationData(deps, counts({ roomId: R3, notificationCount: 7, highlightCount: 7, streamPosition: 19 }));
    assert.equal(position.get(), 6);
    assert.deepEqual(woken, [ALICE]);
    const r3 = (await storage.notificationCounts(ALICE)).find((c) => c.roomId === R3);
    assert.deepEqual(r3, { roomId: R3, notificationCount: 5, highlightCount: 2, position: 6 });
  });

  it('defers wakes and wakes each user once for any number of changes meanwhile', async () => {
    const rounds: string[][] = [];
    const waker = createDeferredWaker({ wakeUsers: (ids) => void rounds.push([...ids].sort()) }, 40);
    waker.wakeSoon(ALICE);
    waker.wakeSoon(BOB);
    waker.wakeSoon(ALICE);
    assert.deepEqual(rounds, [], 'nobody is woken at once');
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(rounds, [[ALICE, BOB].sort()]);
    waker.wakeSoon(BOB);
    waker.flush();
    assert.deepEqual(rounds, [[ALICE, BOB].sort(), [BOB]], 'flush wakes who still waits');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(rounds.length, 2, 'a flushed wake does not fire again');
  });

  it('provider, initial: every joined room in the response gets both counts, 0 when never counted', async () => {
    const p = notificationDataStreamProvider(storage, createNotificationDataPosition(await storage.latestNotificationDataPosition()));
    const c = context();
    assert.equal(await p.latest(c), 6);
    // The pdu stream put the joined rooms in; R2 has no events here but has counts.
    joinedRoom(c.response, R1);
    await p.initial(c, 6);
    assert.deepEqual(unreadOf(c), {
      [R1]: { notification_count: 2, highlight_count: 1 },
      [R2]: { notification_count: 3, highlight_count: 1 },
      [R3]: { notification_count: 5, highlight_count: 2 },
    });
    // A joined room never counted gets zeros; the left room with counts is not listed.
    const fresh = context();
    joinedRoom(fresh.response, '!quiet:hs.test');
    await p.initial(fresh, 6);
    assert.equal(fresh.response.rooms.join[LEFT], undefined);
    assert.deepEqual(unreadOf(fresh)['!quiet:hs.test'], { notification_count: 0, highlight_count: 0 });
  });

  it('provider, incremental: only rooms changed in (from, to] are added; rooms already there get counts', async () => {
    const position = createNotificationDataPosition(await storage.latestNotificationDataPosition());
    const p = notificationDataStreamProvider(storage, position);
    const c = context();
    await p.incremental(c, 3, 6);
    assert.deepEqual(unreadOf(c), { [R3]: { notification_count: 5, highlight_count: 2 } }, 'R3 moved at 6; LEFT (4) is not joined');
    const withTimeline = context();
    joinedRoom(withTimeline.response, R2);
    await p.incremental(withTimeline, 6, 6);
    assert.deepEqual(unreadOf(withTimeline), { [R2]: { notification_count: 3, highlight_count: 1 } });
    // An idle long-poll's re-check (nothing moved, no rooms to fill) reads nothing.
    let reads = 0;
    const counting = notificationDataStreamProvider({ notificationCounts: (u) => (reads++, storage.notificationCounts(u)) }, position);
    const idle = context();
    await counting.incremental(idle, 6, 6);
    assert.deepEqual(idle.response.rooms.join, {});
    assert.equal(reads, 0);
  });

  it('provider: the room filter keeps excluded rooms out', async () => {
    const p = notificationDataStreamProvider(storage, createNotificationDataPosition(6));
    const notR3 = context({ room: { not_rooms: [R3] } });
    await p.incremental(notR3, 0, 6);
    assert.deepEqual(Object.keys(notR3.response.rooms.join).sort(), [R1, R2].sort());
    const onlyR2 = context({ room: { rooms: [R2] } });
    await p.incremental(onlyR2, 0, 6);
    assert.deepEqual(unreadOf(onlyR2), { [R2]: { notification_count: 3, highlight_count: 1 } });
  });

  it("writes a room's batch in one go: a position and a wake per changed user, stale entries skipped", async () => {
    const woken: string[] = [];
    const position = createNotificationDataPosition(await storage.latestNotificationDataPosition());
    const before = position.get();
    const R4 = '!four:hs.test';
    const CAROL = '@carol:hs.test';
    const DAN = '@dan:hs.test';
    await handleNotificationData({ storage, position, wakeSoon: (id) => void woken.push(id) }, {
      type: 'room_notification_counts',
      roomId: R4,
      changes: [
        { userId: CAROL, notificationCount: 1, highlightCount: 1, streamPosition: 40 },
        { userId: DAN, notificationCount: 2, highlightCount: 0, streamPosition: 41 },
      ],
    });
    assert.equal(position.get(), before + 2);
    assert.deepEqual(woken, [CAROL, DAN]);
    await handleNotificationData({ storage, position, wakeSoon: (id) => void woken.push(id) }, {
      type: 'room_notification_counts',
      roomId: R4,
      changes: [
        { userId: CAROL, notificationCount: 9, highlightCount: 9, streamPosition: 39 },
        { userId: DAN, notificationCount: 3, highlightCount: 0, streamPosition: 42 },
      ],
    });
    assert.equal(position.get(), before + 3);
    assert.deepEqual(woken, [CAROL, DAN, DAN]);
    assert.deepEqual((await storage.notificationCounts(CAROL)).find((c) => c.roomId === R4)?.notificationCount, 1);
    assert.deepEqual((await storage.notificationCounts(DAN)).find((c) => c.roomId === R4)?.notificationCount, 3);
  });

  it('writes a batch larger than one statement, and of a user written twice keeps the newer counts only', async () => {
    const R5 = '!five:hs.test';
    const users = Array.from({ length: 250 }, (_, i) => `@u${i}:hs.test`);
    const ws = users.map((userId, i) => ({ userId, roomId: R5, notificationCount: i + 1, highlightCount: 0, sourcePosition: 100 + i }));
    ws.push({ userId: users[7]!, roomId: R5, notificationCount: 999, highlightCount: 1, sourcePosition: 500 });
    const positions = await storage.writeNotificationCounts(ws);
    assert.equal(positions[7], undefined, 'the older write of u7 is replaced by its newer one in the same batch');
    const stored = positions.filter((p): p is number => p !== undefined);
    assert.equal(stored.length, 250);
    assert.equal(new Set(stored).size, 250);
    assert.deepEqual((await storage.notificationCounts(users[7]!)).find((c) => c.roomId === R5), {
      roomId: R5,
      notificationCount: 999,
      highlightCount: 1,
      position: positions[250],
    });
    assert.equal((await storage.notificationCounts(users[249]!)).find((c) => c.roomId === R5)?.notificationCount, 250);
  });
}
