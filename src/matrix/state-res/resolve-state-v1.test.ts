/**
 * State resolution v1 (room version 1): power levels, join rules and members resolved oldest
 * first while each next event passes auth; other keys take the newest event that passes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import { stateMapKey } from '../room-event.js';
import { roomVersion } from '../room-version.js';
import { resolveState } from './resolve-state.js';
import { createTestDag, eid, type TestDag } from './test-dag.js';

const ALICE = '@alice:example.com';
const BOB = '@bob:example.com';
const CHARLIE = '@charlie:example.com';
const EVELYN = '@evelyn:example.com';
const join = { membership: 'join' };

const PL = stateMapKey('m.room.power_levels', '');
const TOPIC = stateMapKey('m.room.topic', '');

/** Create, Alice (100), public join rules, Bob and Charlie joined, at depths 1–5. */
function base(): TestDag {
  const dag = createTestDag(roomVersion('1'));
  dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: { creator: ALICE }, depth: 1 });
  dag.add({
    id: 'IMA',
    sender: ALICE,
    type: 'm.room.member',
    stateKey: ALICE,
    content: join,
    depth: 2,
    prevEvents: ['CREATE'],
  });
  dag.add({
    id: 'IPOWER',
    sender: ALICE,
    type: 'm.room.power_levels',
    stateKey: '',
    content: { users: { [ALICE]: 100 } },
    depth: 3,
  });
  dag.add({
    id: 'IJR',
    sender: ALICE,
    type: 'm.room.join_rules',
    stateKey: '',
    content: { join_rule: 'public' },
    depth: 4,
  });
  dag.add({ id: 'IMB', sender: BOB, type: 'm.room.member', stateKey: BOB, content: join, depth: 5 });
  dag.add({ id: 'IMC', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: join, depth: 5 });
  return dag;
}

const BASE = ['CREATE', 'IMA', 'IPOWER', 'IJR', 'IMB', 'IMC'];

function pl(dag: TestDag, id: string, sender: string, users: Record<string, number>, depth: number): void {
  dag.add({ id, sender, type: 'm.room.power_levels', stateKey: '', content: { users } as JsonObject, depth });
}

function resolve(dag: TestDag, ...sets: string[][]): Map<string, string> {
  return resolveState({
    roomVersion: dag.roomVersion,
    stateSets: sets.map((s) => dag.state(...s)),
    getEvent: dag.getEvent,
  });
}

void describe('state resolution v1', () => {
  void it('applies a newer power levels event when the older one allows it', () => {
    const dag = base();
    pl(dag, 'PA', ALICE, { [ALICE]: 100, [BOB]: 50 }, 6);
    pl(dag, 'PB', BOB, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }, 7);
    assert.equal(resolve(dag, [...BASE, 'PA'], [...BASE, 'PB']).get(PL), eid('PB'));
  });

  void it('keeps the older power levels when the newer one exceeds what it allows', () => {
    const dag = base();
    pl(dag, 'PA', ALICE, { [ALICE]: 100, [BOB]: 50 }, 6);
    pl(dag, 'PB', BOB, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 75 }, 7);
    assert.equal(resolve(dag, [...BASE, 'PA'], [...BASE, 'PB']).get(PL), eid('PA'));
  });

  void it('stops at the first power levels event that fails, even if a later one would pass', () => {
    const dag = base();
    pl(dag, 'P1', ALICE, { [ALICE]: 100, [BOB]: 50 }, 6);
    pl(dag, 'P2', CHARLIE, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }, 7);
    pl(dag, 'P3', BOB, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 10 }, 8);
    assert.equal(resolve(dag, [...BASE, 'P1'], [...BASE, 'P2'], [...BASE, 'P3']).get(PL), eid('P1'));
  });

  void it('a ban wins over a concurrent join, whichever is deeper', () => {
    for (const [banDepth, joinDepth] of [
      [6, 7],
      [7, 6],
    ] as const) {
      const dag = base();
      dag.add({
        id: 'MBAN',
        sender: ALICE,
        type: 'm.room.member',
        stateKey: EVELYN,
        content: { membership: 'ban' },
        depth: banDepth,
      });
      dag.add({ id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join, depth: joinDepth });
      const got = resolve(dag, [...BASE, 'MBAN'], [...BASE, 'ME']);
      const why = `ban at ${banDepth}, join at ${joinDepth}`;
      assert.equal(got.get(stateMapKey('m.room.member', EVELYN)), eid('MBAN'), why);
    }
  });

  void it('checks members against the resolved power levels', () => {
    const dag = base();
    // Bob can only kick Charlie with the power PA gives him, and PA wins the power levels.
    pl(dag, 'PA', ALICE, { [ALICE]: 100, [BOB]: 60 }, 6);
    dag.add({
      id: 'KICK',
      sender: BOB,
      type: 'm.room.member',
      stateKey: CHARLIE,
      content: { membership: 'leave' },
      depth: 7,
    });
    const got = resolve(dag, [...BASE, 'PA'], ['CREATE', 'IMA', 'IPOWER', 'IJR', 'IMB', 'KICK']);
    assert.equal(got.get(PL), eid('PA'));
    assert.equal(got.get(stateMapKey('m.room.member', CHARLIE)), eid('KICK'));
  });

  void it('other keys take the deepest event that passes auth', () => {
    const dag = base();
    dag.add({ id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: { topic: 'a' }, depth: 6 });
    dag.add({ id: 'T2', sender: BOB, type: 'm.room.topic', stateKey: '', content: { topic: 'b' }, depth: 7 });
    dag.add({ id: 'T3', sender: ALICE, type: 'm.room.topic', stateKey: '', content: { topic: 'c' }, depth: 5 });
    // T2 is deepest but Bob (0) is below state_default (50).
    assert.equal(resolve(dag, [...BASE, 'T1'], [...BASE, 'T2'], [...BASE, 'T3']).get(TOPIC), eid('T1'));
  });

  void it('breaks depth ties by the lowest SHA-1 of the event ID', () => {
    const dag = base();
    // sha1("$TB") = 6fa1…, sha1("$TC") = 608c…: TC wins although "TB" sorts first.
    dag.add({ id: 'TB', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {}, depth: 6 });
    dag.add({ id: 'TC', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {}, depth: 6 });
    assert.equal(resolve(dag, [...BASE, 'TB'], [...BASE, 'TC']).get(TOPIC), eid('TC'));
  });

  void it('keeps the shallowest event when no event of an other key passes', () => {
    const dag = base();
    dag.add({ id: 'T1', sender: BOB, type: 'm.room.topic', stateKey: '', content: {}, depth: 6 });
    dag.add({ id: 'T2', sender: BOB, type: 'm.room.topic', stateKey: '', content: {}, depth: 7 });
    assert.equal(resolve(dag, [...BASE, 'T1'], [...BASE, 'T2']).get(TOPIC), eid('T1'));
  });

  void it('keeps keys that only some state sets have, and everything agreed', () => {
    const dag = base();
    dag.add({ id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {}, depth: 6 });
    dag.add({ id: 'T2', sender: BOB, type: 'm.room.topic', stateKey: '', content: {}, depth: 7 });
    // Bob may not set a topic, but nothing competes with T2, so v1 never checks it.
    assert.deepEqual(resolve(dag, BASE, [...BASE, 'T2']), dag.state(...BASE, 'T2'));
  });

  void it('returns one state set unchanged', () => {
    const dag = base();
    assert.deepEqual(resolve(dag, BASE), dag.state(...BASE));
  });
});
