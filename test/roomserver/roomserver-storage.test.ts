/** The roomserver storage suite (events, DAG, state, rooms, membership, outbox), on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bus, DeliveredMessage, Outbox } from '../../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { stateMapKey } from '../../src/matrix/room-event.js';
import { openRoomserverStorage, type RoomserverStorage } from '../../src/roomserver/storage/index.js';
import { ROOMSERVER_MIGRATIONS } from '../../src/roomserver/storage/roomserver-migrations.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { linearRoom, testEvent } from './roomserver-test-kit.js';

const ALICE = '@alice:a.test';
const BOB = '@bob:b.test';
const CAROL = '@carol:c.test';

describeEachBackend('roomserver storage', (ctx) => {
  describe('tables', () => suite(ctx));
});

function suite(ctx: BackendContext): void {
  let database: Database;
  let bus: Bus;
  let outbox: Outbox;
  let s: RoomserverStorage;
  before(async () => {
    database = await ctx.open();
    bus = await createEmbeddedBus({ database, pollIntervalMs: 20 });
    outbox = await bus.outbox(database, 'roomserver');
    s = await openRoomserverStorage(database, { outbox });
  });
  after(async () => bus.close());

  it('migrates once', async () => {
    assert.deepEqual(await runMigrations(database, 'roomserver', ROOMSERVER_MIGRATIONS), []);
  });

  it('stores a linear room: JSON text, flags, head, and state before/after each event', async () => {
    const room = await linearRoom(s, '!linear:a.test');
    const create = room.last!;
    const { event: join } = await room.member(ALICE, 'join');
    const { event: pl } = await room.append('m.room.power_levels', { users: { [ALICE]: 100 } }, '');
    const { event: msg, result } = await room.append('m.room.message', { body: 'hi' });
    assert.equal(result.alreadyStored, false);
    assert.equal(result.streamPosition, 4);
    assert.deepEqual(result.forwardExtremities, [msg.eventId]);
    assert.deepEqual(await s.getRoomInfo(room.roomId), {
      roomId: room.roomId,
      roomVersion: '11',
      hasState: true,
      forwardExtremities: [msg.eventId],
      lastStreamPosition: 4,
    });
    const full = new Map([
      [stateMapKey('m.room.create', ''), create.eventId],
      [stateMapKey('m.room.member', ALICE), join.eventId],
      [stateMapKey('m.room.power_levels', ''), pl.eventId],
    ]);
    assert.deepEqual(await s.getState({ currentOf: room.roomId }), full);
    assert.deepEqual(await s.getState({ beforeEvent: msg.eventId }), full);
    assert.deepEqual(await s.getState({ afterEvent: msg.eventId }), full);
    assert.deepEqual(await s.getState({ beforeEvent: create.eventId }), new Map());
    assert.deepEqual(await s.getState({ afterEvent: create.eventId }), new Map([[stateMapKey('m.room.create', ''), create.eventId]]));
    assert.deepEqual(await s.getState({ beforeEvent: pl.eventId }), new Map([...full].filter(([k]) => !k.startsWith('m.room.power'))));
    assert.equal(await s.getState({ afterEvent: '$unknown' }), undefined);
    assert.equal(await s.getState({ currentOf: '!unknown:a.test' }), undefined);

    const got = await s.getEvents([msg.eventId, '$unknown', join.eventId]);
    assert.deepEqual(
      got.map((e) => e.eventId),
      [msg.eventId, join.eventId],
    );
    assert.deepEqual(got[1], {
      eventId: join.eventId,
      roomId: room.roomId,
      roomVersion: '11',
      type: 'm.room.member',
      stateKey: ALICE,
      sender: ALICE,
      depth: 2,
      originServerTs: join.originServerTs,
      json: JSON.stringify(join.json),
      prevEvents: [create.eventId],
      authEvents: [],
      rejected: false,
      rejectionReason: null,
      outlier: false,
      softFailed: false,
      redactedBy: null,
    });
    assert.equal(got[0]?.stateKey, undefined);
  });

  it('stores an event once: a repeat changes nothing', async () => {
    const room = await linearRoom(s, '!repeat:a.test');
    const create = room.last!;
    const again = await s.storeEvent({ event: create, stateBefore: {}, updateHead: {} });
    assert.deepEqual(again, {
      alreadyStored: true,
      streamPosition: 1,
      forwardExtremities: [create.eventId],
      addsStateEventIds: [],
      removesStateEventIds: [],
      membershipChanges: [],
      retiredInviteEventIds: [],
    });
    assert.equal((await s.getRoomInfo(room.roomId))?.lastStreamPosition, 1);
  });

  it('reads filtered state: whole types, or single keys', async () => {
    const room = await linearRoom(s, '!filter:a.test');
    const create = room.last!;
    const members = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const user = `@u${i}:m${i % 7}.test`;
      members.set(stateMapKey('m.room.member', user), (await room.member(user, 'join')).event.eventId);
    }
    const { event: topic } = await room.append('m.room.topic', { topic: 't' }, '');
    assert.deepEqual(await s.getState({ currentOf: room.roomId }, { types: ['m.room.member'] }), members);
    assert.deepEqual(
      await s.getState({ currentOf: room.roomId }, { tuples: [['m.room.create', ''], ['m.room.topic', ''], ['m.room.member', '@u7:m0.test'], ['m.room.name', ''], ['x.never', 'y']] }),
      new Map([
        [stateMapKey('m.room.create', ''), create.eventId],
        [stateMapKey('m.room.topic', ''), topic.eventId],
        [stateMapKey('m.room.member', '@u7:m0.test'), members.get(stateMapKey('m.room.member', '@u7:m0.test'))!],
      ]),
    );
    assert.deepEqual(
      await s.getState({ currentOf: room.roomId }, { types: ['m.room.topic'], tuples: [['m.room.create', '']] }),
      new Map([
        [stateMapKey('m.room.create', ''), create.eventId],
        [stateMapKey('m.room.topic', ''), topic.eventId],
      ]),
    );
    assert.equal((await s.getState({ currentOf: room.roomId }))?.size, 302);
    const events = await s.getStateEvents({ currentOf: room.roomId }, { tuples: [['m.room.topic', '']] });
    assert.deepEqual(events?.map((e) => [e.eventId, JSON.parse(e.json).content.topic]), [[topic.eventId, 't']]);
    assert.deepEqual(await s.getJoinedServers(room.roomId), ['m0.test', 'm1.test', 'm2.test', 'm3.test', 'm4.test', 'm5.test', 'm6.test']);
  });

  it('keeps membership in step with the current state', async () => {
    const room = await linearRoom(s, '!members:a.test');
    const { result: r1 } = await room.member(ALICE, 'join');
    assert.deepEqual(r1.membershipChanges, [{ userId: ALICE, membership: 'join', eventId: room.last!.eventId }]);
    await room.member(BOB, 'invite', ALICE);
    const bobInvite = room.last!.eventId;
    await room.member(CAROL, 'join');
    assert.deepEqual(await s.getMembers(room.roomId), [ALICE, CAROL]);
    assert.deepEqual(await s.getMembers(room.roomId, 'invite'), [BOB]);
    assert.deepEqual(await s.getMembership(room.roomId, BOB), { membership: 'invite', sender: ALICE, eventId: bobInvite });
    assert.deepEqual(await s.getRoomsForUser(BOB, 'invite'), [room.roomId]);
    const { event: bobJoin, result } = await room.member(BOB, 'join');
    assert.deepEqual(result.addsStateEventIds, [bobJoin.eventId]);
    assert.deepEqual(result.removesStateEventIds, [bobInvite]);
    assert.deepEqual(await s.getRoomsForUser(BOB, 'invite'), []);
    assert.deepEqual(await s.getRoomsForUser(BOB, 'join'), [room.roomId]);
    await room.member(CAROL, 'leave');
    assert.deepEqual(await s.getMembers(room.roomId), [ALICE, BOB]);
    assert.deepEqual(await s.getJoinedServers(room.roomId), ['a.test', 'b.test']);
    assert.equal(await s.getMembership(room.roomId, '@nobody:a.test'), undefined);
    const { result: msg } = await room.append('m.room.message', { body: 'x' });
    assert.deepEqual(msg.membershipChanges, []);
    assert.deepEqual(msg.addsStateEventIds, []);
  });

  it('tracks forward extremities over a fork and a merge with a resolved current state', async () => {
    const room = await linearRoom(s, '!fork:a.test');
    await room.member(ALICE, 'join');
    await room.member(BOB, 'join', BOB);
    const base = room.last!;
    const store = (ev: ReturnType<typeof testEvent>, current?: Map<string, string | null>) =>
      s.storeEvent({
        event: ev,
        stateBefore: { base: { afterEvent: ev.prevEvents[0]! } },
        updateHead: current ? { currentState: { base: { afterEvent: ev.eventId }, changes: current } } : {},
      });
    const a = testEvent({ roomId: room.roomId, type: 'm.room.topic', stateKey: '', sender: ALICE, prevEvents: [base.eventId], depth: 4 });
    const b = testEvent({ roomId: room.roomId, type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'leave' }, prevEvents: [base.eventId], depth: 4 });
    assert.deepEqual((await store(a)).forwardExtremities, [a.eventId]);
    // The second branch: the pipeline resolved the current state (a's topic, b's leave).
    const rb = await store(b, new Map([[stateMapKey('m.room.topic', ''), a.eventId]]));
    assert.deepEqual(rb.forwardExtremities, [a.eventId, b.eventId]);
    assert.deepEqual(rb.membershipChanges, [{ userId: BOB, membership: 'leave', eventId: b.eventId }]);
    assert.deepEqual((await s.getState({ currentOf: room.roomId }))?.get(stateMapKey('m.room.topic', '')), a.eventId);
    assert.deepEqual(await s.getState({ afterEvent: b.eventId }, { types: ['m.room.topic'] }), new Map());
    // The merge: both prev events stop being extremities.
    const merge = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: ALICE, prevEvents: [a.eventId, b.eventId], depth: 5 });
    const rm = await s.storeEvent({ event: merge, stateBefore: { base: { afterEvent: b.eventId }, changes: new Map([[stateMapKey('m.room.topic', ''), a.eventId]]) }, updateHead: {} });
    assert.deepEqual(rm.forwardExtremities, [merge.eventId]);
    assert.deepEqual(await s.getState({ beforeEvent: merge.eventId }), await s.getState({ currentOf: room.roomId }));
    // A state reset removing a member deletes its row.
    const reset = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: ALICE, prevEvents: [merge.eventId], depth: 6 });
    const rr = await s.storeEvent({
      event: reset,
      stateBefore: { base: { afterEvent: merge.eventId } },
      updateHead: { currentState: { base: { afterEvent: merge.eventId }, changes: new Map([[stateMapKey('m.room.member', BOB), null]]) } },
    });
    assert.deepEqual(rr.membershipChanges, [{ userId: BOB, membership: null, eventId: null }]);
    assert.deepEqual(rr.removesStateEventIds, [b.eventId]);
    assert.equal(await s.getMembership(room.roomId, BOB), undefined);
  });

  it('stores outliers without state and upgrades them later; rejected events leave state alone', async () => {
    const room = await linearRoom(s, '!outlier:a.test');
    const create = room.last!;
    const out = testEvent({ roomId: room.roomId, type: 'm.room.name', stateKey: '', sender: ALICE, content: { name: 'n' }, prevEvents: [create.eventId], depth: 2 });
    const r = await s.storeEvent({ event: out, outlier: true });
    assert.equal(r.alreadyStored, false);
    assert.deepEqual(r.forwardExtremities, [create.eventId]);
    assert.equal((await s.getEvents([out.eventId]))[0]?.outlier, true);
    assert.equal(await s.getState({ afterEvent: out.eventId }), undefined);
    assert.deepEqual(await s.getMissingEventIds([out.eventId, '$nope', create.eventId, '$nope']), ['$nope']);
    assert.equal((await s.storeEvent({ event: out, outlier: true })).alreadyStored, true);
    const up = await s.storeEvent({ event: out, stateBefore: { base: { afterEvent: create.eventId } }, updateHead: {} });
    assert.equal(up.alreadyStored, false);
    assert.deepEqual(up.forwardExtremities, [out.eventId]);
    assert.equal((await s.getEvents([out.eventId]))[0]?.outlier, false);
    assert.equal((await s.getState({ currentOf: room.roomId }))?.get(stateMapKey('m.room.name', '')), out.eventId);

    const bad = testEvent({ roomId: room.roomId, type: 'm.room.name', stateKey: '', sender: BOB, content: { name: 'evil' }, prevEvents: [out.eventId], depth: 3 });
    await s.storeEvent({ event: bad, rejectionReason: 'not allowed', stateBefore: { base: { afterEvent: out.eventId } } });
    const [stored] = await s.getEvents([bad.eventId]);
    assert.equal(stored?.rejected, true);
    assert.equal(stored?.rejectionReason, 'not allowed');
    assert.deepEqual(await s.getState({ afterEvent: bad.eventId }), await s.getState({ afterEvent: out.eventId }));
    assert.deepEqual((await s.getRoomInfo(room.roomId))?.forwardExtremities, [out.eventId]);
  });

  it('stores a joined room from a full state map and walks auth chains', async () => {
    const roomId = '!joined:b.test';
    const create = testEvent({ roomId, type: 'm.room.create', stateKey: '', sender: BOB, depth: 1 });
    const bobJoin = testEvent({ roomId, type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' }, prevEvents: [create.eventId], authEvents: [create.eventId], depth: 2 });
    const pl = testEvent({ roomId, type: 'm.room.power_levels', stateKey: '', sender: BOB, prevEvents: [bobJoin.eventId], authEvents: [create.eventId, bobJoin.eventId], depth: 3 });
    for (const ev of [create, bobJoin, pl]) await s.storeEvent({ event: ev, outlier: true });
    const join = testEvent({ roomId, type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' }, prevEvents: [pl.eventId], authEvents: [create.eventId, pl.eventId], depth: 4 });
    const state = new Map([
      [stateMapKey('m.room.create', ''), create.eventId],
      [stateMapKey('m.room.member', BOB), bobJoin.eventId],
      [stateMapKey('m.room.power_levels', ''), pl.eventId],
    ]);
    const r = await s.storeEvent({ event: join, stateBefore: { changes: state }, updateHead: {} });
    assert.deepEqual(r.forwardExtremities, [join.eventId]);
    assert.deepEqual(new Set(r.addsStateEventIds), new Set([...state.values(), join.eventId]));
    assert.deepEqual(await s.getMembers(roomId), [ALICE, BOB]);
    assert.deepEqual(await s.getState({ beforeEvent: join.eventId }), state);
    assert.deepEqual(
      (await s.getAuthChain([join.eventId])).map((e) => e.eventId),
      [create.eventId, bobJoin.eventId, pl.eventId],
    );
  });

  it('joins a room of 6,000 members in one head move (membership rows written in chunks under the bind limit)', async () => {
    const roomId = '!crowd:b.test';
    const create = testEvent({ roomId, type: 'm.room.create', stateKey: '', sender: BOB, depth: 1 });
    const members = Array.from({ length: 6_000 }, (_, i) =>
      testEvent({ roomId, type: 'm.room.member', stateKey: `@m${i}:b.test`, sender: `@m${i}:b.test`, content: { membership: 'join' }, prevEvents: [create.eventId], authEvents: [create.eventId], depth: 2 }),
    );
    await s.storeOutliers([create, ...members]);
    const state = new Map([[stateMapKey('m.room.create', ''), create.eventId], ...members.map((m): [string, string] => [stateMapKey('m.room.member', m.stateKey!), m.eventId])]);
    const join = testEvent({ roomId, type: 'm.room.member', stateKey: ALICE, sender: ALICE, content: { membership: 'join' }, prevEvents: [members[0]!.eventId], authEvents: [create.eventId], depth: 3 });
    await s.storeEvent({ event: join, stateBefore: { changes: state }, updateHead: {} });
    const joined = await s.getMembers(roomId);
    assert.equal(joined.length, 6_001);
    assert.ok(joined.includes('@m5999:b.test') && joined.includes(ALICE));
    assert.deepEqual(await s.getJoinedServers(roomId), ['a.test', 'b.test']);
  });

  it('queues bus messages in the same transaction, and keeps nothing of a failed one', async () => {
    const topic = { name: `RoomserverStorageTest_${Date.now().toString(36)}` };
    const got: DeliveredMessage<{ eventId: string; pos: number }>[] = [];
    const sub = await bus.subscribe<{ eventId: string; pos: number }>({ topic, consumer: 't', handler: async (m) => void got.push(m) });
    try {
      const room = await linearRoom(s, '!outbox:a.test');
      const ev = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: ALICE, prevEvents: [room.last!.eventId], depth: 2 });
      await s.storeEvent({
        event: ev,
        stateBefore: { base: { afterEvent: room.last!.eventId } },
        updateHead: {},
        messages: (res) => [{ topic, key: room.roomId, payload: { eventId: ev.eventId, pos: res.streamPosition } }],
      });
      const failing = testEvent({ roomId: room.roomId, type: 'm.room.message', sender: ALICE, prevEvents: [ev.eventId], depth: 3 });
      await assert.rejects(
        s.storeEvent({
          event: failing,
          stateBefore: { base: { afterEvent: ev.eventId } },
          updateHead: {},
          messages: () => {
            throw new Error('boom');
          },
        }),
        /boom/,
      );
      assert.deepEqual(await s.getMissingEventIds([failing.eventId]), [failing.eventId]);
      assert.deepEqual((await s.getRoomInfo(room.roomId))?.lastStreamPosition, 2);
      await outbox.flush();
      const deadline = Date.now() + 5000;
      while (got.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(got.map((m) => m.payload), [{ eventId: ev.eventId, pos: 2 }]);
    } finally {
      await sub.stop();
    }
  });

  it('refuses state that names unstored events, rolling the whole write back', async () => {
    const room = await linearRoom(s, '!strict:a.test');
    const ev = testEvent({ roomId: room.roomId, type: 'm.room.topic', stateKey: '', sender: ALICE, prevEvents: [room.last!.eventId], depth: 2 });
    await assert.rejects(
      s.storeEvent({ event: ev, stateBefore: { base: { afterEvent: room.last!.eventId }, changes: new Map([[stateMapKey('m.room.name', ''), '$missing']]) } }),
      /\$missing is not stored/,
    );
    await assert.rejects(s.storeEvent({ event: ev, stateBefore: { base: { afterEvent: '$missing' } } }), /\$missing is not stored with state/);
    assert.deepEqual(await s.getMissingEventIds([ev.eventId]), [ev.eventId]);
  });
}
