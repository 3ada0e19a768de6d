import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomVersion } from '../room-version.js';
import { createResolutionContext } from './resolution-context.js';
import { reverseTopologicalPowerOrder } from './reverse-topological-power-order.js';
import { createTestDag, eid, type TestDag } from './test-dag.js';

const ALICE = '@alice:example.com';
const BOB = '@bob:example.com';

function order(dag: TestDag, ids: string[], full: string[] = ids): string[] {
  const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
  return reverseTopologicalPowerOrder(ctx, ids.map(eid), new Set(full.map(eid))).map((id) => id.slice(1));
}

/** A v11 room where Alice has 100 and Bob 50 according to the power levels `P`. */
function room(): TestDag {
  const dag = createTestDag(roomVersion('11'));
  dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', ts: 1 });
  dag.add({
    id: 'P',
    sender: ALICE,
    type: 'm.room.power_levels',
    stateKey: '',
    content: { users: { [ALICE]: 100, [BOB]: 50 } },
    authEvents: ['CREATE'],
    ts: 2,
  });
  return dag;
}

void describe('reverseTopologicalPowerOrder', () => {
  void it('emits auth events first, breaking ties by event ID when power and time are equal', () => {
    const dag = room();
    // l → o, m → n and o, n → o, p → o (the example from Synapse's suite)
    dag.add({ id: 'o', sender: BOB, type: 't', stateKey: 'o', authEvents: ['CREATE', 'P'], ts: 10 });
    dag.add({ id: 'l', sender: BOB, type: 't', stateKey: 'l', authEvents: ['CREATE', 'P', 'o'], ts: 10 });
    dag.add({ id: 'n', sender: BOB, type: 't', stateKey: 'n', authEvents: ['CREATE', 'P', 'o'], ts: 10 });
    dag.add({ id: 'm', sender: BOB, type: 't', stateKey: 'm', authEvents: ['CREATE', 'P', 'n', 'o'], ts: 10 });
    dag.add({ id: 'p', sender: BOB, type: 't', stateKey: 'p', authEvents: ['CREATE', 'P', 'o'], ts: 10 });
    assert.deepEqual(order(dag, ['p', 'm', 'l', 'n', 'o']), ['o', 'l', 'n', 'm', 'p']);
  });

  void it("puts the higher-powered sender first, judged by each event's own auth events, then the earlier one", () => {
    const dag = room();
    dag.add({ id: 'b1', sender: BOB, type: 't', stateKey: '1', authEvents: ['CREATE', 'P'], ts: 5 });
    dag.add({ id: 'a2', sender: ALICE, type: 't', stateKey: '2', authEvents: ['CREATE', 'P'], ts: 9 });
    dag.add({ id: 'a1', sender: ALICE, type: 't', stateKey: '3', authEvents: ['CREATE', 'P'], ts: 8 });
    // Without power levels among its auth events, Alice's event counts as the creator's (100).
    dag.add({ id: 'a0', sender: ALICE, type: 't', stateKey: '4', authEvents: ['CREATE'], ts: 20 });
    // Without a create event either, she has 0.
    dag.add({ id: 'ax', sender: ALICE, type: 't', stateKey: '5', ts: 1 });
    assert.deepEqual(order(dag, ['b1', 'a2', 'a1', 'a0', 'ax']), ['a1', 'a2', 'a0', 'b1', 'ax']);
  });

  void it('never lets power jump an auth dependency', () => {
    const dag = room();
    dag.add({ id: 'b', sender: BOB, type: 't', stateKey: 'b', authEvents: ['CREATE', 'P'], ts: 5 });
    dag.add({ id: 'a', sender: ALICE, type: 't', stateKey: 'a', authEvents: ['CREATE', 'P', 'b'], ts: 1 });
    assert.deepEqual(order(dag, ['a', 'b']), ['b', 'a']);
  });

  void it('adds auth chain events of the full conflicted set, following links only through it', () => {
    const dag = room();
    dag.add({ id: 'x', sender: BOB, type: 't', stateKey: 'x', authEvents: ['CREATE', 'P'], ts: 5 });
    dag.add({ id: 'y', sender: BOB, type: 't', stateKey: 'y', authEvents: ['CREATE', 'P', 'x'], ts: 6 });
    dag.add({ id: 'z', sender: ALICE, type: 't', stateKey: 'z', authEvents: ['CREATE', 'P', 'y'], ts: 7 });
    assert.deepEqual(order(dag, ['z'], ['z', 'y', 'x']), ['x', 'y', 'z']);
    // x is only reachable through y, which is outside the full conflicted set.
    assert.deepEqual(order(dag, ['z'], ['z', 'x']), ['z']);
  });
  void it('v12: creators, additional ones included, outrank any power level', () => {
    const dag = createTestDag(roomVersion('12'));
    const CAROL = '@carol:example.com';
    dag.add({
      id: 'CREATE',
      sender: ALICE,
      type: 'm.room.create',
      stateKey: '',
      content: { additional_creators: [BOB] },
      ts: 1,
    });
    dag.add({
      id: 'P',
      sender: ALICE,
      type: 'm.room.power_levels',
      stateKey: '',
      content: { users: { [CAROL]: 100 } },
      ts: 2,
    });
    // No create event among the auth events: v12 derives it from the room ID.
    dag.add({ id: 'c', sender: CAROL, type: 't', stateKey: 'c', authEvents: ['P'], ts: 3 });
    dag.add({ id: 'b', sender: BOB, type: 't', stateKey: 'b', authEvents: ['P'], ts: 5 });
    dag.add({ id: 'a', sender: ALICE, type: 't', stateKey: 'a', authEvents: ['P'], ts: 4 });
    assert.deepEqual(order(dag, ['c', 'b', 'a']), ['a', 'b', 'c']);
  });
});
