/**
 * The storage reads of the legacy `/events` stream on SQLite and PostgreSQL: the earliest events
 * of several rooms' ranges in stream order (bounds, per-range limit, empty ranges), and the page
 * of a user's room events built on it — the rooms they were joined to over the range, cut at
 * their join and leave, their own invite and rejection, and paging by position with every event
 * exactly once.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openSyncStorage, type NewSyncEvent, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { userRoomEventsPage } from '../../src/syncapi/legacy/room-events-page.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { DEFAULT_SENDER, newSyncEvent } from './sync-storage-kit.js';

const A = '!a:hs.test';
const B = '!b:hs.test';
const C = '!c:hs.test';
const D = '!d:hs.test';
const ALICE = DEFAULT_SENDER;
const BOB = '@bob:hs.test';

let depth = 0;
const event = (roomId: string, eventId: string, extra: Partial<NewSyncEvent> = {}): NewSyncEvent => newSyncEvent(roomId, eventId, ++depth, extra);
const member = (roomId: string, eventId: string, userId: string, membership: string) =>
  event(roomId, eventId, { type: 'm.room.member', stateKey: userId, sender: userId, membership });

describeEachBackend('syncapi storage: the legacy /events stream', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  const pos = new Map<string, number>();
  const write = async (e: NewSyncEvent) => {
    const state = e.stateKey !== null;
    const entry = { type: e.type, stateKey: e.stateKey ?? '', eventId: e.eventId, json: e.json, membership: e.membership };
    const p = await storage.writeRoomEvent({ event: e, adds: state ? [entry] : [], removes: [] });
    pos.set(e.eventId, p!);
  };
  const ids = (events: ReadonlyArray<{ eventId: string }>) => events.map((e) => e.eventId);
  let start: number;

  before(async () => {
    storage = await openSyncStorage(await ctx.open());
    await write(member(A, '$aliceA', ALICE, 'join'));
    await write(member(B, '$aliceB', ALICE, 'join'));
    await write(member(C, '$aliceC', ALICE, 'join'));
    await write(member(D, '$aliceD', ALICE, 'join'));
    start = pos.get('$aliceD')!;
    // From `start`: Bob is joined to A all along; joins B in the range; leaves C in it; is
    // invited to D and rejects the invite (never joined there).
    await write(member(A, '$bobA', BOB, 'join'));
    await write(member(C, '$bobC', BOB, 'join'));
    start = pos.get('$bobC')!;
    await write(event(A, '$a1'));
    await write(event(B, '$b1'));
    await write(event(C, '$c1'));
    await write(member(B, '$bobB', BOB, 'join'));
    await write(event(A, '$a2'));
    await write(event(B, '$b2'));
    await write(member(C, '$bobLeavesC', BOB, 'leave'));
    await write(event(C, '$c2'));
    await write(event(D, '$d1'));
    await write(event(D, '$bobInviteD', { type: 'm.room.member', stateKey: BOB, sender: ALICE, membership: 'invite' }));
    await write(event(D, '$d2'));
    await write(member(D, '$bobRejectsD', BOB, 'leave'));
    await write(event(A, '$a3'));
    await write(event(B, '$b3'));
  });

  it('earliestEvents: the first events of each range after its lower bound, up to and including its upper one, all in stream order', async () => {
    const got = await storage.earliestEvents(
      [
        { roomId: A, after: pos.get('$a1')!, upTo: pos.get('$a3')! },
        { roomId: B, after: 0, upTo: pos.get('$b2')! },
        { roomId: C, after: pos.get('$c2')!, upTo: Number.MAX_SAFE_INTEGER },
      ],
      3,
    );
    assert.deepEqual(ids(got), ['$aliceB', '$b1', '$bobB', '$a2', '$a3']);
    assert.deepEqual(
      got.map((e) => e.position),
      [...got.map((e) => e.position)].sort((x, y) => x - y),
    );
    assert.deepEqual(await storage.earliestEvents([], 5), []);
    assert.deepEqual(await storage.earliestEvents([{ roomId: A, after: 0, upTo: 100 }], 0), []);
  });

  it('a page of the user’s rooms: joined all along, from the join on, up to the leave, and their own invite and rejection', async () => {
    const memberships = await storage.userMemberships(BOB);
    const latest = await storage.latestPosition();
    const page = await userRoomEventsPage(storage, BOB, memberships, start, latest, 100);
    // Left out: `$b1` (before Bob joined B), `$c2` (after he left C), `$d1`, `$d2` (never joined D).
    assert.deepEqual(ids(page.events), ['$a1', '$c1', '$bobB', '$a2', '$b2', '$bobLeavesC', '$bobInviteD', '$bobRejectsD', '$a3', '$b3']);
    assert.equal(page.upTo, latest);
    // From before his joins to A and C: each run starts with the join itself.
    const fromBefore = await userRoomEventsPage(storage, BOB, memberships, pos.get('$aliceD')!, latest, 100);
    assert.deepEqual(ids(fromBefore.events).slice(0, 4), ['$bobA', '$bobC', '$a1', '$c1']);
  });

  it('pages of 2 meet every event once, each continuing after the last event of the one before', async () => {
    const memberships = await storage.userMemberships(BOB);
    const latest = await storage.latestPosition();
    const all = ids((await userRoomEventsPage(storage, BOB, memberships, start, latest, 100)).events);
    const seen: string[] = [];
    let after = start;
    for (let i = 0; i < 20; i++) {
      const page = await userRoomEventsPage(storage, BOB, memberships, after, latest, 2);
      assert.ok(page.events.length <= 2);
      seen.push(...ids(page.events));
      if (page.events.length < 2) {
        assert.equal(page.upTo, latest);
        break;
      }
      assert.equal(page.upTo, page.events.at(-1)!.position);
      after = page.upTo;
    }
    assert.deepEqual(seen, all);
    const empty = await userRoomEventsPage(storage, BOB, memberships, latest, latest, 2);
    assert.deepEqual(empty, { events: [], upTo: latest });
  });
}
