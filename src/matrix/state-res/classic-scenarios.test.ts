/**
 * The classic state resolution scenarios (the ones Synapse's and ruma's suites share, rebuilt
 * here as our own data), played as DAGs: the state at END must be the expected one. They run
 * for v2 (room versions 2 and 11) and v2.1 (room version 12, where the creator's power is
 * infinite, so Alice is left out of `users`, and the create event is not an auth event).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import { stateMapKey } from '../room-event.js';
import { roomVersion, type RoomVersion } from '../room-version.js';
import { resolveState } from './resolve-state.js';
import { createTestDag } from './test-dag.js';
import { playGraph, type GraphNode } from './test-graph.js';

const ALICE = '@alice:example.com';
const BOB = '@bob:example.com';
const CHARLIE = '@charlie:example.com';
const EVELYN = '@evelyn:example.com';
const ZARA = '@zara:example.com';

const join = { membership: 'join' };
const ban = { membership: 'ban' };

/** Power levels content; v12 rooms can't list the creator (Alice), whose power is infinite anyway. */
function levels(rv: RoomVersion, users: Record<string, number>, extra: JsonObject = {}): JsonObject {
  const u = { ...users };
  if (rv.privilegedCreators) delete u[ALICE];
  return { users: u, ...extra };
}

function initialNodes(rv: RoomVersion): GraphNode[] {
  return [
    {
      id: 'CREATE',
      sender: ALICE,
      type: 'm.room.create',
      stateKey: '',
      content: rv.createHasCreator ? { creator: ALICE } : {},
    },
    { id: 'IMA', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join },
    { id: 'IPOWER', sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: levels(rv, { [ALICE]: 100 }) },
    { id: 'IJR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' } },
    { id: 'IMB', sender: BOB, type: 'm.room.member', stateKey: BOB, content: join },
    { id: 'IMC', sender: CHARLIE, type: 'm.room.member', stateKey: CHARLIE, content: join },
    { id: 'IMZ', sender: ZARA, type: 'm.room.member', stateKey: ZARA, content: join },
    { id: 'START', sender: ZARA, type: 'm.room.message', content: {} },
    { id: 'END', sender: ZARA, type: 'm.room.message', content: {} },
  ];
}
const INITIAL_EDGES = ['START', 'IMZ', 'IMC', 'IMB', 'IJR', 'IPOWER', 'IMA', 'CREATE'];

/**
 * Plays the scenario and checks the state at END: the keys that changed since START, plus the
 * expected keys, must be exactly `expected` (node IDs).
 */
function check(rv: RoomVersion, nodes: GraphNode[], edges: string[][], expected: string[]): void {
  const dag = createTestDag(rv);
  const after = playGraph(dag, [...initialNodes(rv), ...nodes], [INITIAL_EDGES, ...edges], (stateSets) =>
    resolveState({ roomVersion: rv, stateSets, getEvent: dag.getEvent }),
  );
  const want = new Map<string, string>();
  for (const id of expected) {
    const e = dag.get(id);
    want.set(stateMapKey(e.type, e.stateKey as string), e.eventId);
  }
  const start = after.get('START') as Map<string, string>;
  const got = new Map<string, string>();
  for (const [k, v] of after.get('END') as Map<string, string>) {
    if (want.has(k) || start.get(k) !== v) got.set(k, v);
  }
  assert.deepEqual(named(got), named(want));
}

/** Readable failures: `$PA` instead of a map of NUL-joined keys. */
function named(m: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...m].map(([k, v]) => [k.replace('\u0000', '|'), v]));
}

for (const id of ['2', '11', '12']) {
  const rv = roomVersion(id);
  void describe(`classic scenarios, room version ${id} (state res ${rv.stateRes})`, () => {
    void it('ban vs power levels: the ban by the higher-powered admin wins over the demoted mod', () => {
      const nodes: GraphNode[] = [
        {
          id: 'PA',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'MA', sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: join },
        { id: 'MB', sender: ALICE, type: 'm.room.member', stateKey: BOB, content: ban },
        {
          id: 'PB',
          sender: BOB,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
      ];
      check(rv, nodes, [['END', 'MB', 'MA', 'PA', 'START'], ['END', 'PB', 'PA']], ['PA', 'MA', 'MB']);
    });

    void it('join rule evasion: a join on a fork does not survive the join rules becoming private', () => {
      const nodes: GraphNode[] = [
        { id: 'JR', sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'private' } },
        { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join },
      ];
      check(rv, nodes, [['END', 'JR', 'START'], ['END', 'ME', 'START']], ['JR']);
    });

    void it('offtopic power levels: a chain of delegated power level changes wins', () => {
      const nodes: GraphNode[] = [
        {
          id: 'PA',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        {
          id: 'PB',
          sender: BOB,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 }),
        },
        {
          id: 'PC',
          sender: CHARLIE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 0 }),
        },
      ];
      check(rv, nodes, [['END', 'PC', 'PB', 'PA', 'START'], ['END', 'PA']], ['PC']);
    });

    void it('topic basic: the topic of the demoted user is dropped', () => {
      const nodes: GraphNode[] = [
        { id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA1',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T2', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA2',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 0 }),
        },
        {
          id: 'PB',
          sender: BOB,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T3', sender: BOB, type: 'm.room.topic', stateKey: '', content: {} },
      ];
      check(
        rv,
        nodes,
        [
          ['END', 'PA2', 'T2', 'PA1', 'T1', 'START'],
          ['END', 'T3', 'PB', 'PA1'],
        ],
        ['PA2', 'T2'],
      );
    });

    void it('topic reset: a ban does not reset the topic to the one before it', () => {
      const nodes: GraphNode[] = [
        { id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T2', sender: BOB, type: 'm.room.topic', stateKey: '', content: {} },
        { id: 'MB', sender: ALICE, type: 'm.room.member', stateKey: BOB, content: ban },
      ];
      check(rv, nodes, [['END', 'MB', 'T2', 'PA', 'T1', 'START'], ['END', 'T1']], ['T1', 'MB', 'PA']);
    });

    void it('topic: the latest topic on the resolved mainline wins across a message', () => {
      const nodes: GraphNode[] = [
        { id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA1',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T2', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA2',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 0 }),
        },
        {
          id: 'PB',
          sender: BOB,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T3', sender: BOB, type: 'm.room.topic', stateKey: '', content: {} },
        { id: 'MZ1', sender: ZARA, type: 'm.room.message', content: {} },
        { id: 'T4', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
      ];
      check(
        rv,
        nodes,
        [
          ['END', 'T4', 'MZ1', 'PA2', 'T2', 'PA1', 'T1', 'START'],
          ['END', 'MZ1', 'T3', 'PB', 'PA1'],
        ],
        ['T4', 'PA2'],
      );
    });

    void it('mainline sort: the topic citing the newest power levels wins over a later one citing older', () => {
      const nodes: GraphNode[] = [
        { id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA1',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T2', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
        {
          id: 'PA2',
          sender: ALICE,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }, { events: { 'm.room.power_levels': 100 } }),
        },
        {
          id: 'PB',
          sender: BOB,
          type: 'm.room.power_levels',
          stateKey: '',
          content: levels(rv, { [ALICE]: 100, [BOB]: 50 }),
        },
        { id: 'T3', sender: BOB, type: 'm.room.topic', stateKey: '', content: {} },
        { id: 'T4', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
      ];
      // Without the mainline, T4 (sent after T3) would win.
      check(
        rv,
        nodes,
        [
          ['END', 'T3', 'PA2', 'T2', 'PA1', 'T1', 'START'],
          ['END', 'T4', 'PB', 'PA1'],
        ],
        ['T3', 'PA2'],
      );
    });

    void it('a ban on one fork keeps out a join on the other', () => {
      const nodes: GraphNode[] = [
        { id: 'MBAN', sender: ALICE, type: 'm.room.member', stateKey: EVELYN, content: ban },
        { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join },
      ];
      check(rv, nodes, [['END', 'MBAN', 'START'], ['END', 'ME', 'START']], ['MBAN']);
    });

    void it('a ban after a join on one fork survives an unrelated change on the other', () => {
      const nodes: GraphNode[] = [
        { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join },
        { id: 'MBAN', sender: ALICE, type: 'm.room.member', stateKey: EVELYN, content: ban },
        { id: 'T1', sender: ALICE, type: 'm.room.topic', stateKey: '', content: {} },
      ];
      check(rv, nodes, [['END', 'MBAN', 'ME', 'START'], ['END', 'T1', 'START']], ['MBAN', 'T1']);
    });

    void it('concurrent joins merge', () => {
      const nodes: GraphNode[] = [
        { id: 'ME', sender: EVELYN, type: 'm.room.member', stateKey: EVELYN, content: join },
        {
          id: 'MB2',
          sender: BOB,
          type: 'm.room.member',
          stateKey: BOB,
          content: { membership: 'join', displayname: 'Bob' },
        },
      ];
      check(rv, nodes, [['END', 'ME', 'START'], ['END', 'MB2', 'START']], ['ME', 'MB2']);
    });
  });
}
