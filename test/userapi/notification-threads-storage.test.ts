/**
 * Thread-aware notification storage on SQLite and PostgreSQL: each notification keeps its
 * thread, counts are the room's totals plus (while a thread has unread ones) the main-timeline /
 * per-thread split, on the bus too; an unthreaded receipt reads every thread, a `main` one the
 * main timeline only, a thread's only that thread; a receipt handled before its notification
 * marks it read per thread; the upgrade keeps old rows (main timeline) and old markers (every
 * thread).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import type { NewNotification, NotificationStorage } from '../../src/userapi/storage/notification-storage.js';
import { USERAPI_MIGRATIONS } from '../../src/userapi/storage/userapi-migrations.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { notificationBuilder, notificationStorageFixture, T0 } from './notification-storage-fixture.js';
import { openUserapiTestKit, TEST_SERVER_NAME } from './userapi-test-kit.js';

const ROOM = '!threads:t';
const ROOT = '$root';
const OTHER_ROOT = '$other-root';
const ANN = `@ann:${TEST_SERVER_NAME}`;

describeEachBackend('userapi notification threads', (ctx) => {
  describe('counts and receipts per thread', () => suite(ctx));
  describe('upgrade', () => upgrade(ctx));
});

const inRoom = notificationBuilder(ROOM);
const note = (localpart: string, eventId: string, roomPosition: number, threadId: string, extra: Partial<NewNotification> = {}): NewNotification =>
  inRoom(localpart, eventId, roomPosition, { threadId, ...extra });

const c = (notificationCount: number, highlightCount: number) => ({ notificationCount, highlightCount });

function suite(ctx: BackendContext): void {
  const f = notificationStorageFixture(ctx, 'notification-threads-test');
  const { delivered, waitFor } = f;
  let n: NotificationStorage;
  before(() => {
    n = f.n;
  });

  it('a main-timeline notification keeps the plain shape: no split while no thread has unread ones', async () => {
    const [added] = await n.addNotifications([note('ann', '$m1', 10, 'main')]);
    assert.deepEqual(added?.counts, c(1, 0));
    assert.equal(await n.getEventThread('$m1'), 'main');
    await waitFor(1);
    assert.deepEqual(delivered[0], { type: 'notification_counts', userId: ANN, roomId: ROOM, notificationCount: 1, highlightCount: 0, streamPosition: 1 });
  });

  it('stores the thread and splits the counts: totals, main timeline, each thread with unread ones', async () => {
    const added = await n.addNotifications([note('ann', '$t1', 11, ROOT, { highlight: true }), note('bo', '$t1', 11, ROOT)]);
    assert.deepEqual(
      added.map((a) => [a.notification.localpart, a.counts]),
      [
        ['ann', { ...c(2, 1), main: c(1, 0), threads: { [ROOT]: c(1, 1) } }],
        ['bo', { ...c(1, 0), main: c(0, 0), threads: { [ROOT]: c(1, 0) } }],
      ],
    );
    await n.addNotifications([note('ann', '$t2', 12, ROOT)]);
    await n.addNotifications([note('ann', '$o1', 13, OTHER_ROOT)]);
    await n.addNotifications([note('ann', '$m2', 14, 'main', { highlight: true })]);
    assert.equal(await n.getEventThread('$t1'), ROOT);
    assert.equal(await n.getEventThread('$o1'), OTHER_ROOT);
    assert.equal(await n.getEventThread('$nope'), undefined);
    assert.deepEqual(await n.getRoomCounts('ann', ROOM), { ...c(5, 2), main: c(2, 1), threads: { [ROOT]: c(2, 1), [OTHER_ROOT]: c(1, 0) } });
    assert.equal(await n.getUnreadTotal('ann'), 5, 'the push total counts every thread');
    await waitFor(6);
    // One message per room per event; the split rides along.
    assert.deepEqual(delivered.slice(1, 3), [
      { type: 'notification_counts', userId: ANN, roomId: ROOM, ...c(2, 1), main: c(1, 0), threads: { [ROOT]: c(1, 1) }, streamPosition: 2 },
      { type: 'notification_counts', userId: `@bo:${TEST_SERVER_NAME}`, roomId: ROOM, ...c(1, 0), main: c(0, 0), threads: { [ROOT]: c(1, 0) }, streamPosition: 3 },
    ]);
    assert.deepEqual(delivered[5], { type: 'notification_counts', userId: ANN, roomId: ROOM, ...c(5, 2), main: c(2, 1), threads: { [ROOT]: c(2, 1), [OTHER_ROOT]: c(1, 0) }, streamPosition: 6 });
  });

  it("a thread's receipt reads only that thread, up to its event", async () => {
    // Up to $t1 (11) in ROOT: $t2 (12) stays unread; the main timeline and the other thread too.
    const change = await n.markNotificationsRead('ann', ROOM, { roomPosition: 11 }, ROOT);
    assert.deepEqual(change, { ...c(4, 1), main: c(2, 1), threads: { [ROOT]: c(1, 0), [OTHER_ROOT]: c(1, 0) }, streamPosition: 7 });
    // Nothing more of ROOT up to 11; up to $t2 (12, past $m1 at 10) reads no main notification.
    assert.equal(await n.markNotificationsRead('ann', ROOM, { roomPosition: 11 }, ROOT), undefined);
    const done = await n.markNotificationsRead('ann', ROOM, { roomPosition: 12 }, ROOT);
    assert.deepEqual(done, { ...c(3, 1), main: c(2, 1), threads: { [OTHER_ROOT]: c(1, 0) }, streamPosition: 8 }, 'a read thread leaves the split');
    // bo's rows are his own.
    assert.deepEqual(await n.getRoomCounts('bo', ROOM), { ...c(1, 0), main: c(0, 0), threads: { [ROOT]: c(1, 0) } });
    await waitFor(8);
    assert.deepEqual(delivered[7], { type: 'notification_counts', userId: ANN, roomId: ROOM, ...c(3, 1), main: c(2, 1), threads: { [OTHER_ROOT]: c(1, 0) }, streamPosition: 8 });
  });

  it("a main receipt reads only the main timeline; an unthreaded one reads every thread up to its event", async () => {
    // Up to $m2 (14): $o1 (13) of the other thread stays unread.
    const main = await n.markNotificationsRead('ann', ROOM, { roomPosition: 14 }, 'main');
    assert.deepEqual(main, { ...c(1, 0), main: c(0, 0), threads: { [OTHER_ROOT]: c(1, 0) }, streamPosition: 9 });
    await n.addNotifications([note('ann', '$o2', 20, OTHER_ROOT)]);
    await n.addNotifications([note('ann', '$m3', 21, 'main')]);
    assert.deepEqual(await n.getRoomCounts('ann', ROOM), { ...c(3, 0), main: c(1, 0), threads: { [OTHER_ROOT]: c(2, 0) } });
    // Unthreaded at 20: $o1 (13) and $o2 (20) of the other thread, not $m3 (21).
    const all = await n.markNotificationsRead('ann', ROOM, { roomPosition: 20 });
    assert.deepEqual(all, { ...c(1, 0), streamPosition: 12 }, 'no thread left unread: the plain shape again');
    const rows = await n.getNotifications('ann', { before: undefined, limit: 20, onlyHighlight: false });
    assert.deepEqual(rows.filter((r) => !r.read).map((r) => r.eventId), ['$m3']);
  });

  it('a receipt by timestamp (position unknown) keeps to its thread too', async () => {
    await n.addNotifications([note('ann', '$o3', 30, OTHER_ROOT)]);
    await n.addNotifications([note('ann', '$t3', 31, ROOT)]);
    assert.deepEqual(await n.markNotificationsRead('ann', ROOM, { eventTs: T0 + 31 }, OTHER_ROOT), {
      ...c(2, 0),
      main: c(1, 0),
      threads: { [ROOT]: c(1, 0) },
      streamPosition: 15,
    });
    assert.deepEqual(await n.markNotificationsRead('ann', ROOM, { eventTs: T0 + 31 }), { ...c(0, 0), streamPosition: 16 });
  });

  it('a receipt handled before its notification marks it read, per thread', async () => {
    const RACE = '!race:t';
    const race = (localpart: string, eventId: string, pos: number, threadId: string) => note(localpart, eventId, pos, threadId, { roomId: RACE });
    // cy read ROOT up to 50 and the main timeline up to 40 before those notifications came.
    assert.equal(await n.markNotificationsRead('cy', RACE, { roomPosition: 50 }, ROOT), undefined);
    assert.equal(await n.markNotificationsRead('cy', RACE, { roomPosition: 40 }, 'main'), undefined);
    const added = await n.addNotifications([race('cy', '$r45', 45, ROOT)]);
    assert.deepEqual(added.map((a) => [a.read, a.counts]), [[true, c(0, 0)]]);
    const others = [race('cy', '$r46', 46, OTHER_ROOT), race('cy', '$r39', 39, 'main'), race('cy', '$r41', 41, 'main'), race('cy', '$r51', 51, ROOT)];
    const read: [string, boolean][] = [];
    for (const o of others) for (const a of await n.addNotifications([o])) read.push([a.notification.eventId, a.read]);
    assert.deepEqual(read, [
      ['$r46', false],
      ['$r39', true],
      ['$r41', false],
      ['$r51', false],
    ]);
    assert.deepEqual(await n.getRoomCounts('cy', RACE), { ...c(3, 0), main: c(1, 0), threads: { [OTHER_ROOT]: c(1, 0), [ROOT]: c(1, 0) } });
    // An unthreaded receipt's marker covers every thread; a lower one never lowers a marker.
    assert.equal(await n.markNotificationsRead('dee', RACE, { roomPosition: 60 }), undefined);
    await n.markNotificationsRead('dee', RACE, { roomPosition: 5 });
    await n.markNotificationsRead('cy', RACE, { roomPosition: 10 }, ROOT);
    const late = await n.addNotifications([race('dee', '$r55', 55, ROOT), race('dee', '$r56', 56, 'main'), race('cy', '$r49', 49, ROOT), race('dee', '$r61', 61, ROOT)]);
    assert.deepEqual(
      late.map((a) => [a.notification.localpart, a.notification.eventId, a.read]),
      [
        ['dee', '$r55', true],
        ['dee', '$r56', true],
        ['cy', '$r49', true],
        ['dee', '$r61', false],
      ],
    );
  });
}

/** A database at the last migration before threads, with data, then migrated. */
function upgrade(ctx: BackendContext): void {
  it('old rows are main-timeline; old markers read every thread', async () => {
    const database = await ctx.open();
    const before = USERAPI_MIGRATIONS.findIndex((m) => m.name === 'notification threads');
    assert.ok(before > 0);
    await runMigrations(database, 'userapi', USERAPI_MIGRATIONS.slice(0, before));
    const db = database.db;
    await sql`INSERT INTO userapi_notifications (id, localpart, room_id, event_id, room_pos, event_ts, ts, highlight, actions, read)
      VALUES (1, 'old', ${ROOM}, '$old', 5, 1, 1, 1, '["notify"]', 0)`.execute(db);
    await sql`INSERT INTO userapi_notification_stream (id, position) VALUES (1, 1)`.execute(db);
    await sql`INSERT INTO userapi_notification_read_markers (localpart, room_id, room_pos) VALUES ('old', ${ROOM}, 30)`.execute(db);
    const kit = await openUserapiTestKit(database);
    try {
      const n = kit.storage.notifications;
      assert.equal(await n.getEventThread('$old'), 'main');
      assert.deepEqual(await n.getRoomCounts('old', ROOM), c(1, 1));
      const added = await n.addNotifications([note('old', '$t', 20, ROOT), note('old', '$m', 31, 'main')]);
      assert.deepEqual(
        added.map((a) => [a.notification.eventId, a.read]),
        [
          ['$t', true],
          ['$m', false],
        ],
      );
      assert.deepEqual(await n.markNotificationsRead('old', ROOM, { roomPosition: 5 }, 'main'), { ...c(1, 0), streamPosition: 4 });
    } finally {
      await kit.close();
    }
  });
}
