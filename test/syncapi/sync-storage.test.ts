/**
 * The syncapi's storage and its roomserver consumer on SQLite and PostgreSQL: positions and
 * redeliveries, state deltas (including state resolution bringing back events never seen, read
 * from the roomserver), a room first seen mid-stream (read whole), redactions, the batched reads
 * sync makes (timelines of many rooms, memberships in a range, counts, heroes), and the state at
 * a past position rebuilt from the stored deltas.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { QueryEventsResponse, QueryStateResponse, StoredRoomEvent, SyncRoomserverAPI } from '../../src/roomserver/api.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleRoomserverOutput, handleRoomserverWake, NotYetStored } from '../../src/syncapi/consumers/roomserver.js';
import { createNotifier, type Notifier } from '../../src/syncapi/notifier.js';
import { openSyncStorage, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { roomStatesAt } from '../../src/syncapi/sync/room-state-at.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const HS = 'hs.test';
const ALICE = `@alice:${HS}`;
const BOB = `@bob:${HS}`;
const CAROL = `@carol:${HS}`;

type NewRoomEvent = Extract<OutputRoomEventMessage, { type: 'new_room_event' }>;

/** A roomserver stand-in holding some events and states; it records what it was asked. */
function fakeRoomserver(): SyncRoomserverAPI & { events: Map<string, StoredRoomEvent>; states: Map<string, StoredRoomEvent[]>; asked: string[] } {
  const events = new Map<string, StoredRoomEvent>();
  const states = new Map<string, StoredRoomEvent[]>();
  const asked: string[] = [];
  return {
    events,
    states,
    asked,
    async queryEvents(req): Promise<QueryEventsResponse> {
      asked.push(`events:${req.eventIds.join(',')}`);
      return { events: req.eventIds.flatMap((id) => events.get(id) ?? []) };
    },
    async queryState(req): Promise<QueryStateResponse> {
      asked.push(`state:${req.roomId}@${req.atEventId ?? 'current'}`);
      const s = states.get(`${req.roomId}@${req.atEventId ?? ''}`);
      return { found: s !== undefined, events: s ?? [] };
    },
    async queryEventVisibility(req) {
      return { events: req.eventIds.map((eventId) => ({ eventId, visible: true })) };
    },
    async queryForgottenRooms() {
      return { roomIds: [] };
    },
    async performBackfill() {
      return { eventIds: [] };
    },
  };
}

let depth = 0;
function pdu(roomId: string, type: string, sender: string, content: JsonObject, stateKey?: string): JsonObject {
  return { room_id: roomId, type, sender, content, depth: ++depth, origin_server_ts: 1_700_000_000_000 + depth, ...(stateKey !== undefined ? { state_key: stateKey } : {}) };
}
function msg(roomId: string, eventId: string, event: JsonObject, adds: string[] = [], removes: string[] = []): NewRoomEvent {
  return {
    type: 'new_room_event',
    roomId,
    roomVersion: '11',
    eventId,
    event,
    addsStateEventIds: adds,
    removesStateEventIds: removes,
    latestEventIds: [eventId],
    streamPosition: 0,
    transaction: null,
  };
}
const member = (roomId: string, userId: string, membership: string, sender = userId) => pdu(roomId, 'm.room.member', sender, { membership }, userId);

describeEachBackend('syncapi storage', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  let notifier: Notifier;
  let rs: ReturnType<typeof fakeRoomserver>;
  const apply = (m: OutputRoomEventMessage) => handleRoomserverOutput({ storage, roomserver: rs, notifier }, m);
  /** Stores a state event that replaces `replaces` (its own key's previous event). */
  const state = (roomId: string, id: string, ev: JsonObject, replaces?: string) => apply(msg(roomId, id, ev, [id], replaces ? [replaces] : []));

  before(async () => {
    depth = 0;
    storage = await openSyncStorage(await ctx.open());
    notifier = createNotifier((u) => u.endsWith(`:${HS}`));
    rs = fakeRoomserver();
  });

  const R1 = '!one:hs.test';
  it('stores events with increasing positions, ignores redeliveries and applies state deltas', async () => {
    assert.equal(await storage.latestPosition(), 0);
    await state(R1, '$create', pdu(R1, 'm.room.create', ALICE, { room_version: '11' }, ''));
    await state(R1, '$alice', member(R1, ALICE, 'join'));
    await state(R1, '$nameA', pdu(R1, 'm.room.name', ALICE, { name: 'A' }, ''));
    await apply(msg(R1, '$m1', pdu(R1, 'm.room.message', ALICE, { body: 'hi' })));
    await state(R1, '$nameB', pdu(R1, 'm.room.name', ALICE, { name: 'B' }, ''), '$nameA');
    assert.equal(await storage.latestPosition(), 5);
    await state(R1, '$nameB', pdu(R1, 'm.room.name', ALICE, { name: 'B' }, ''), '$nameA');
    assert.equal(await storage.latestPosition(), 5, 'a redelivery stores nothing');
    const current = (await storage.roomsState([R1])).map((e) => [e.type, e.stateKey, e.eventId, e.membership, e.addedAt]);
    assert.deepEqual(current.sort(), [
      ['m.room.create', '', '$create', null, 1],
      ['m.room.member', ALICE, '$alice', 'join', 2],
      ['m.room.name', '', '$nameB', null, 5],
    ]);
    assert.deepEqual(JSON.parse((await storage.eventsByIds(['$m1']))[0]!.json), {
      event_id: '$m1',
      room_id: R1,
      sender: ALICE,
      type: 'm.room.message',
      content: { body: 'hi' },
      origin_server_ts: 1_700_000_000_004,
    });
    assert.deepEqual(notifier.joinedMembers(R1), [ALICE]);
    assert.equal(await storage.hasRoomState(R1), true);
    assert.equal(await storage.hasRoomState('!nope:hs.test'), false);
    assert.deepEqual(rs.asked, [], 'nothing was read from the roomserver');
  });

  it('rebuilds the state at past positions from the stored deltas', async () => {
    const at = async (pos: number) => {
      const s = (await roomStatesAt({ storage, roomserver: rs }, [{ roomId: R1, at: pos }])).get(R1)!;
      return [...s.values()].map((i) => i.eventId).sort();
    };
    assert.deepEqual(await at(2), ['$alice', '$create']);
    assert.deepEqual(await at(3), ['$alice', '$create', '$nameA']);
    assert.deepEqual(await at(4), ['$alice', '$create', '$nameA']);
    assert.deepEqual(await at(5), ['$alice', '$create', '$nameB']);
    assert.deepEqual(await at(0), []);
  });

  it('reads state events it never saw from the roomserver, and a room first seen mid-stream whole', async () => {
    // State resolution brings back `$old`, never seen here; `$nameB` leaves.
    rs.events.set('$old', { eventId: '$old', roomId: R1, roomVersion: '11', event: pdu(R1, 'm.room.topic', ALICE, { topic: 'old' }, ''), rejected: false, outlier: false });
    await apply(msg(R1, '$m2', pdu(R1, 'm.room.message', ALICE, { body: 'x' }), ['$old'], ['$nameB']));
    assert.deepEqual(rs.asked, ['events:$old']);
    assert.deepEqual((await storage.roomsState([R1])).map((e) => e.eventId).sort(), ['$alice', '$create', '$old']);
    // The message has no state entry of its own: what resolution brought with it counts as there
    // before it, so a sync whose timeline starts at it hands the client `$old` in its state (a
    // client holding `$nameB` would otherwise never learn of the change).
    const s = (await roomStatesAt({ storage, roomserver: rs }, [{ roomId: R1, at: 5 }])).get(R1)!;
    assert.deepEqual([...s.values()].map((i) => i.eventId).sort(), ['$alice', '$create', '$old']);

    const R2 = '!two:hs.test';
    const bobJoin = member(R2, BOB, 'join');
    const stateAt: StoredRoomEvent[] = [
      { eventId: '$c2', roomId: R2, roomVersion: '11', event: pdu(R2, 'm.room.create', CAROL, {}, ''), rejected: false, outlier: false },
      { eventId: '$carol2', roomId: R2, roomVersion: '11', event: member(R2, CAROL, 'join'), rejected: false, outlier: false },
      { eventId: '$bob2', roomId: R2, roomVersion: '11', event: bobJoin, rejected: false, outlier: false },
    ];
    rs.states.set(`${R2}@$bob2`, stateAt);
    await apply(msg(R2, '$bob2', bobJoin, ['$bob2'], []));
    assert.deepEqual(rs.asked.at(-1), `state:${R2}@$bob2`);
    const r2 = await storage.roomsState([R2]);
    assert.deepEqual(r2.map((e) => e.eventId).sort(), ['$bob2', '$c2', '$carol2']);
    assert.ok(r2.every((e) => e.addedAt === r2[0]!.addedAt));
    assert.deepEqual([...notifier.joinedMembers(R2)].sort(), [BOB, CAROL]);
  });

  const R3 = '!three:hs.test';
  it('keeps memberships, invites with stripped state, counts and heroes', async () => {
    await state(R3, '$c3', pdu(R3, 'm.room.create', ALICE, {}, ''));
    await state(R3, '$a3', member(R3, ALICE, 'join'));
    const invite = { ...member(R3, BOB, 'invite', ALICE), unsigned: { invite_room_state: [{ type: 'm.room.create', state_key: '', sender: ALICE, content: {} }] } };
    const from = await storage.latestPosition();
    await state(R3, '$b3', invite);
    await state(R3, '$carol3', member(R3, CAROL, 'join'));
    await state(R3, '$b3j', member(R3, BOB, 'join'), '$b3');
    await state(R3, '$b3l', member(R3, BOB, 'leave'), '$b3j');
    const to = await storage.latestPosition();

    const stored = JSON.parse((await storage.eventsByIds(['$b3']))[0]!.json) as JsonObject;
    assert.equal(stored.unsigned, undefined, 'stripped state is kept apart from the event');
    assert.deepEqual(JSON.parse((await storage.strippedState(['$b3', '$a3'])).get('$b3')!), [
      { type: 'm.room.create', state_key: '', sender: ALICE, content: {} },
      { type: 'm.room.member', state_key: BOB, sender: ALICE, content: { membership: 'invite' } },
    ]);
    assert.deepEqual((await storage.strippedState(['$a3'])).size, 0);
    assert.deepEqual(
      (await storage.membershipEvents(BOB, from, to)).map((m) => [m.eventId, m.membership]),
      [['$b3', 'invite'], ['$b3j', 'join'], ['$b3l', 'leave']],
    );
    assert.deepEqual([...(await storage.membershipsAt(BOB, [R3, R1], from + 2))], [[R3, 'invite']]);
    assert.deepEqual((await storage.userMemberships(BOB)).filter((m) => m.roomId === R3).map((m) => [m.membership, m.eventId]), [['leave', '$b3l']]);
    assert.deepEqual([...(await storage.memberCounts([R3, R1]))].sort(), [[R1, { joined: 1, invited: 0 }], [R3, { joined: 2, invited: 0 }]]);
    assert.deepEqual([...(await storage.firstMembers([R3], ['join', 'invite'], ALICE, 5))], [[R3, [CAROL]]]);
    assert.deepEqual([...(await storage.firstMembers([R3], ['leave', 'ban'], ALICE, 5))], [[R3, [BOB]]]);
    assert.deepEqual([...notifier.joinedMembers(R3)].sort(), [ALICE, CAROL]);
    assert.ok((await storage.allJoinedMembers()).some(([r, u]) => r === R3 && u === CAROL));
  });

  it('reads the latest events of many rooms in one go, and which rooms moved', async () => {
    const rooms = Array.from({ length: 130 }, (_, i) => `!many${i}:hs.test`);
    const from = await storage.latestPosition();
    for (const [i, r] of rooms.entries()) {
      await state(r, `$mc${i}`, pdu(r, 'm.room.create', ALICE, {}, ''));
      await apply(msg(r, `$mm${i}`, pdu(r, 'm.room.message', ALICE, { body: `${i}` })));
    }
    const to = await storage.latestPosition();
    assert.equal(to - from, 260);
    const recent = await storage.recentEvents(rooms.map((roomId) => ({ roomId, after: from, upTo: to })), 1);
    assert.equal(recent.size, 130);
    assert.deepEqual(recent.get(rooms[129]!)!.map((e) => e.eventId), ['$mm129']);
    const both = await storage.recentEvents([{ roomId: rooms[7]!, after: 0, upTo: to }], 5);
    assert.deepEqual(both.get(rooms[7]!)!.map((e) => e.eventId), ['$mc7', '$mm7']);
    const bounded = await storage.recentEvents([{ roomId: rooms[7]!, after: 0, upTo: both.get(rooms[7]!)![0]!.position }], 5);
    assert.deepEqual(bounded.get(rooms[7]!)!.map((e) => e.eventId), ['$mc7']);
    assert.deepEqual((await storage.activeRooms(to - 3, to)).sort(), [rooms[128], rooms[129]].sort());
    const changes = await storage.stateChanges(rooms.slice(0, 3).map((roomId) => ({ roomId, after: 0, upTo: to })));
    assert.deepEqual(changes.map((e) => e.eventId), ['$mc0', '$mc1', '$mc2']);
  });

  it('replaces a redacted event, in the timeline and in current state', async () => {
    const redacted = pdu(R1, 'm.room.member', ALICE, { membership: 'join' }, ALICE);
    await apply({ type: 'redacted_event', roomId: R1, redactedEventId: '$alice', redactedBy: '$m2', redactedEvent: redacted });
    const timeline = JSON.parse((await storage.eventsByIds(['$alice']))[0]!.json) as JsonObject;
    assert.equal((timeline.unsigned as { redacted_because: { event_id: string } }).redacted_because.event_id, '$m2');
    const current = (await storage.stateByEventIds(['$alice']))[0]!;
    assert.deepEqual(JSON.parse(current.json), timeline);
    await apply({ type: 'redacted_event', roomId: R1, redactedEventId: '$unknown', redactedBy: '$m2', redactedEvent: redacted });
  });

  it('the wake-only handler waits for the writer, then wakes the room', async () => {
    const listener = notifier.listen(ALICE);
    const m = msg(R1, '$later', pdu(R1, 'm.room.message', BOB, {}));
    await assert.rejects(handleRoomserverWake({ storage, notifier }, m), NotYetStored);
    assert.equal(await listener.wait(Date.now()), false);
    await apply(m);
    const second = notifier.listen(ALICE);
    await handleRoomserverWake({ storage, notifier }, m);
    assert.equal(await second.wait(Date.now() + 1000), true);
    listener.cancel();
    second.cancel();
  });
}

