/**
 * State deduplication at scale, on SQLite and PostgreSQL: a 5,000-entry room then 1,000
 * sequential single-key state changes must store a small multiple of the changes, not
 * 1,000 × 5,000 entries, and every snapshot along the way must still read back exactly.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stateMapKey } from '../../src/matrix/room-event.js';
import { openRoomserverStorage, type RoomserverStorage } from '../../src/roomserver/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { testEvent } from './roomserver-test-kit.js';

const ROOM = '!big:a.test';
const ENTRIES = 5000;
const CHANGES = 1000;

describeEachBackend('roomserver state dedupe', (ctx) => {
  describe('a big room', () => {
    let s: RoomserverStorage;
    before(async () => {
      s = await openRoomserverStorage(await ctx.open());
    });

    it(`stores ${CHANGES} single-key changes over ${ENTRIES} entries in far fewer than ${CHANGES}×${ENTRIES} rows`, async (t) => {
      const create = testEvent({ roomId: ROOM, type: 'm.room.create', stateKey: '', sender: '@c:a.test' });
      const members = Array.from({ length: ENTRIES - 1 }, (_, i) =>
        testEvent({ roomId: ROOM, type: 'm.room.member', stateKey: `@u${i}:s${i % 50}.test`, sender: `@u${i}:s${i % 50}.test`, content: { membership: 'join' }, prevEvents: [create.eventId], depth: 2 }),
      );
      assert.equal(await s.storeOutliers([create, ...members]), ENTRIES);
      assert.equal(await s.storeOutliers([create]), 0);
      const state = new Map([create, ...members].map((e) => [stateMapKey(e.type, e.stateKey!), e.eventId]));
      const join = testEvent({ roomId: ROOM, type: 'm.room.message', sender: '@u0:s0.test', prevEvents: [members.at(-1)!.eventId], depth: 3 });
      await s.storeEvent({ event: join, stateBefore: { changes: state }, updateHead: {} });
      assert.equal((await s.getMembers(ROOM)).length, ENTRIES - 1);
      const afterJoin = await s.getStateStorageStats();

      let prev = join;
      const checkpoints = new Map<string, Map<string, string>>();
      for (let i = 0; i < CHANGES; i++) {
        // Alternate between a new key and rewriting an existing member, as a busy room does.
        const stateKey = i % 2 === 0 ? `k${i}` : `@u${i}:s${i % 50}.test`;
        const type = i % 2 === 0 ? 'org.example.counter' : 'm.room.member';
        const ev = testEvent({ roomId: ROOM, type, stateKey, sender: '@u0:s0.test', content: { membership: 'join', n: i }, prevEvents: [prev.eventId], depth: 4 + i });
        await s.storeEvent({ event: ev, stateBefore: { base: { afterEvent: prev.eventId } }, updateHead: {} });
        state.set(stateMapKey(type, stateKey), ev.eventId);
        if (i % 250 === 0) checkpoints.set(ev.eventId, new Map(state));
        prev = ev;
      }
      const stats = await s.getStateStorageStats();
      t.diagnostic(`after the join: ${JSON.stringify(afterJoin)}`);
      t.diagnostic(`after ${CHANGES} changes: ${JSON.stringify(stats)}`);
      assert.equal(stats.snapshots, CHANGES + 1);
      // Naively every snapshot would hold its whole state: ~5.5 million entries.
      assert.ok(stats.undedupedEntries > CHANGES * ENTRIES, `${stats.undedupedEntries}`);
      // One rewritten block (≈ √5,500 ≈ 70 entries) per change, plus the first full copy.
      assert.ok(stats.blocks <= afterJoin.blocks + CHANGES, `${stats.blocks} blocks`);
      assert.ok(stats.blockEntries < ENTRIES + CHANGES * 150, `${stats.blockEntries} block entries`);
      for (const [eventId, expected] of checkpoints) assert.deepEqual(await s.getState({ afterEvent: eventId }), expected);
      assert.deepEqual(await s.getState({ currentOf: ROOM }), state);
      assert.equal((await s.getMembers(ROOM)).length, ENTRIES - 1);
    });
  });
});
