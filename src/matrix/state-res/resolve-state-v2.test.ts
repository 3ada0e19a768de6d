/**
 * State resolution v2 and v2.1 on hand-built DAGs with explicit auth events: the two state
 * resets v2.1 (MSC4297, room version 12) fixes, checked against both algorithms, plus step 5
 * (unconflicted state wins), rejected auth events and precomputed auth chains.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import { stateMapKey } from '../room-event.js';
import { roomVersion, type RoomVersion } from '../room-version.js';
import { resolveState, type StateResInput } from './resolve-state.js';
import { authClosure } from './auth-closure.js';
import { createResolutionContext } from './resolution-context.js';
import { createTestDag, eid, type TestDag } from './test-dag.js';

const ALICE = '@alice:example.com';
const BOB = '@bob:example.com';
const CHARLIE = '@charlie:example.com';
const EVELYN = '@evelyn:example.com';
const ZARA = '@zara:example.com';
const join = { membership: 'join' };

const PL = stateMapKey('m.room.power_levels', '');
const JR = stateMapKey('m.room.join_rules', '');
const member = (u: string): string => stateMapKey('m.room.member', u);

/**
 * MSC4297's first example. Evelyn's rename (E10) cites the first power levels although its own
 * join (E9) came after the third, so a state taken after E10 carries the old power levels.
 * Before v12, every event also lists the create event among its auth events (`c`).
 */
function replayScenario(rv: RoomVersion): TestDag {
  const dag = createTestDag(rv);
  const c = rv.createEventNotInAuthEvents ? [] : ['CREATE'];
  const create: JsonObject = rv.createHasCreator ? { creator: ALICE } : {};
  dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: create });
  dag.add({
    id: 'E2',
    sender: ALICE,
    type: 'm.room.member',
    stateKey: ALICE,
    content: join,
    authEvents: c,
    prevEvents: ['CREATE'],
  });
  const users = (u: Record<string, number>): { users: Record<string, number> } => ({
    users: rv.privilegedCreators ? u : { [ALICE]: 100, ...u },
  });
  dag.add({
    id: 'E3',
    sender: ALICE,
    type: 'm.room.power_levels',
    stateKey: '',
    content: users({}),
    authEvents: [...c, 'E2'],
  });
  dag.add({
    id: 'E4',
    sender: ALICE,
    type: 'm.room.join_rules',
    stateKey: '',
    content: { join_rule: 'public' },
    authEvents: [...c, 'E2', 'E3'],
  });
  dag.add({
    id: 'E5',
    sender: BOB,
    type: 'm.room.member',
    stateKey: BOB,
    content: join,
    authEvents: [...c, 'E3', 'E4'],
  });
  dag.add({
    id: 'E6',
    sender: CHARLIE,
    type: 'm.room.member',
    stateKey: CHARLIE,
    content: join,
    authEvents: [...c, 'E3', 'E4'],
  });
  dag.add({
    id: 'E7',
    sender: ALICE,
    type: 'm.room.power_levels',
    stateKey: '',
    content: users({ [BOB]: 50 }),
    authEvents: [...c, 'E2', 'E3'],
  });
  dag.add({
    id: 'E8',
    sender: BOB,
    type: 'm.room.power_levels',
    stateKey: '',
    content: users({ [BOB]: 50, [CHARLIE]: 50 }),
    authEvents: [...c, 'E5', 'E7'],
  });
  dag.add({
    id: 'E9',
    sender: EVELYN,
    type: 'm.room.member',
    stateKey: EVELYN,
    content: join,
    authEvents: [...c, 'E8', 'E4'],
  });
  dag.add({
    id: 'E10',
    sender: EVELYN,
    type: 'm.room.member',
    stateKey: EVELYN,
    content: join,
    authEvents: [...c, 'E3', 'E4', 'E9'],
  });
  dag.add({
    id: 'E11',
    sender: ZARA,
    type: 'm.room.member',
    stateKey: ZARA,
    content: join,
    authEvents: [...c, 'E8', 'E4'],
  });
  return dag;
}

/**
 * MSC4297's second example: Alice switches the join rules to invite and leaves; a fork that still
 * has the public join rules must not win, nor may the join rules vanish.
 */
function emptyStartScenario(rv: RoomVersion): TestDag {
  const dag = createTestDag(rv);
  const c = rv.createEventNotInAuthEvents ? [] : ['CREATE'];
  dag.add({
    id: 'CREATE',
    sender: ALICE,
    type: 'm.room.create',
    stateKey: '',
    content: rv.createHasCreator ? { creator: ALICE } : {},
  });
  dag.add({
    id: 'MA1',
    sender: ALICE,
    type: 'm.room.member',
    stateKey: ALICE,
    content: join,
    authEvents: c,
    prevEvents: ['CREATE'],
  });
  const users: JsonObject = rv.privilegedCreators ? { [BOB]: 100 } : { [ALICE]: 100, [BOB]: 100 };
  dag.add({
    id: 'P',
    sender: ALICE,
    type: 'm.room.power_levels',
    stateKey: '',
    content: { users },
    authEvents: [...c, 'MA1'],
  });
  dag.add({
    id: 'JR1',
    sender: ALICE,
    type: 'm.room.join_rules',
    stateKey: '',
    content: { join_rule: 'public' },
    authEvents: [...c, 'MA1', 'P'],
  });
  dag.add({
    id: 'MB',
    sender: BOB,
    type: 'm.room.member',
    stateKey: BOB,
    content: join,
    authEvents: [...c, 'P', 'JR1'],
  });
  dag.add({
    id: 'JR2',
    sender: ALICE,
    type: 'm.room.join_rules',
    stateKey: '',
    content: { join_rule: 'invite' },
    authEvents: [...c, 'MA1', 'P'],
  });
  dag.add({
    id: 'MA2',
    sender: ALICE,
    type: 'm.room.member',
    stateKey: ALICE,
    content: { membership: 'leave' },
    authEvents: [...c, 'P', 'MA1'],
  });
  return dag;
}

function resolve(dag: TestDag, sets: Map<string, string>[], extra: Partial<StateResInput> = {}): Map<string, string> {
  return resolveState({ roomVersion: dag.roomVersion, stateSets: sets, getEvent: dag.getEvent, ...extra });
}

void describe('v2.1 (room version 12): the conflicted state subgraph is replayed', () => {
  const dag = replayScenario(roomVersion('12'));
  const dodgy = dag.state('CREATE', 'E2', 'E5', 'E6', 'E10', 'E3', 'E4');
  const sensible = dag.state('CREATE', 'E2', 'E5', 'E6', 'E11', 'E8', 'E4');

  void it('keeps the newest power levels and Evelyn\'s join from their epoch', () => {
    assert.deepEqual(resolve(dag, [dodgy, sensible]), dag.state('CREATE', 'E2', 'E5', 'E6', 'E9', 'E11', 'E8', 'E4'));
  });

  void it('gives the same answer with the state sets swapped', () => {
    assert.deepEqual(resolve(dag, [sensible, dodgy]), resolve(dag, [dodgy, sensible]));
  });
});

void describe('v2 (room version 11) on the same DAG: the state reset v2.1 fixes', () => {
  const dag = replayScenario(roomVersion('11'));
  const dodgy = dag.state('CREATE', 'E2', 'E5', 'E6', 'E10', 'E3', 'E4');
  const sensible = dag.state('CREATE', 'E2', 'E5', 'E6', 'E11', 'E8', 'E4');

  void it('falls back to the first power levels, since E8 is checked against E3 without E7', () => {
    const got = resolve(dag, [dodgy, sensible]);
    assert.equal(got.get(PL), eid('E3'));
    assert.equal(got.get(member(EVELYN)), eid('E10'));
    assert.equal(got.get(member(ZARA)), eid('E11'));
  });
});

void describe('v2.1 (room version 12): iterative auth checks start from the empty state', () => {
  const dag = emptyStartScenario(roomVersion('12'));
  const correct = dag.state('CREATE', 'MA2', 'MB', 'P', 'JR2');
  const incorrect = dag.state('CREATE', 'MA2', 'MB', 'P', 'JR1');

  void it('keeps the invite-only join rules set before Alice left', () => {
    assert.deepEqual(resolve(dag, [correct, incorrect]), correct);
  });

  void it('does not fall back on a rejected auth event: without Alice\'s join, neither join rule passes', () => {
    const got = resolve(dag, [correct, incorrect], { isRejected: (id) => id === eid('MA1') });
    assert.equal(got.has(JR), false);
    assert.equal(got.get(member(ALICE)), eid('MA2'));
  });
});

void describe('v2 (room version 11) on the same DAG', () => {
  const dag = emptyStartScenario(roomVersion('11'));
  const correct = dag.state('CREATE', 'MA2', 'MB', 'P', 'JR2');
  const incorrect = dag.state('CREATE', 'MA2', 'MB', 'P', 'JR1');

  void it('loses the join rules: both are checked against Alice having left', () => {
    const got = resolve(dag, [correct, incorrect]);
    assert.equal(got.has(JR), false);
    assert.equal(got.get(PL), eid('P'));
  });
});

void describe('step 5: the unconflicted state map wins', () => {
  for (const id of ['11', '12']) {
    void it(`keeps the agreed power levels although a sibling one was applied during resolution (room ${id})`, () => {
      const rv = roomVersion(id);
      const dag = createTestDag(rv);
      const c = rv.createEventNotInAuthEvents ? [] : ['CREATE'];
      const users = (u: Record<string, number>): { users: Record<string, number> } => ({
        users: rv.privilegedCreators ? u : { [ALICE]: 100, ...u },
      });
      dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: {} });
      dag.add({
        id: 'IMA',
        sender: ALICE,
        type: 'm.room.member',
        stateKey: ALICE,
        content: join,
        authEvents: c,
        prevEvents: ['CREATE'],
      });
      dag.add({
        id: 'P1',
        sender: ALICE,
        type: 'm.room.power_levels',
        stateKey: '',
        content: users({}),
        authEvents: [...c, 'IMA'],
      });
      dag.add({
        id: 'JR',
        sender: ALICE,
        type: 'm.room.join_rules',
        stateKey: '',
        content: { join_rule: 'public' },
        authEvents: [...c, 'IMA', 'P1'],
      });
      dag.add({
        id: 'IMB',
        sender: BOB,
        type: 'm.room.member',
        stateKey: BOB,
        content: join,
        authEvents: [...c, 'P1', 'JR'],
      });
      // Two siblings of P1: PX only reaches one state set, through Bob's rename; P2 is agreed.
      dag.add({
        id: 'PX',
        sender: ALICE,
        type: 'm.room.power_levels',
        stateKey: '',
        content: users({ [BOB]: 10 }),
        authEvents: [...c, 'IMA', 'P1'],
      });
      dag.add({
        id: 'P2',
        sender: ALICE,
        type: 'm.room.power_levels',
        stateKey: '',
        content: users({ [BOB]: 20 }),
        authEvents: [...c, 'IMA', 'P1'],
      });
      dag.add({
        id: 'MB2',
        sender: BOB,
        type: 'm.room.member',
        stateKey: BOB,
        content: { membership: 'join', displayname: 'Bob' },
        authEvents: [...c, 'PX', 'JR', 'IMB'],
      });
      const s1 = dag.state('CREATE', 'IMA', 'P2', 'JR', 'MB2');
      const s2 = dag.state('CREATE', 'IMA', 'P2', 'JR', 'IMB');
      assert.deepEqual(resolve(dag, [s1, s2]), dag.state('CREATE', 'IMA', 'P2', 'JR', 'MB2'));
    });
  }
});

void describe('infinite creator power orders the creator first (room version 12 vs 11)', () => {
  const CAROL = '@carol:example.com';
  /**
   * Bob bans Carol on one fork; on the other, Carol renames herself and, after the ban, Alice
   * raises her to Bob's level. In v2 the rename keeps Carol's join out of the full conflicted
   * set, so the ban and Alice's power levels are ready at once in the power ordering and tie on
   * power. (In v2.1 the conflicted subgraph brings the join back, which changes nothing here.)
   */
  function scenario(rv: RoomVersion): TestDag {
    const dag = createTestDag(rv);
    const c = rv.createEventNotInAuthEvents ? [] : ['CREATE'];
    const levels = (carol: number): JsonObject => ({
      users: rv.privilegedCreators ? { [BOB]: 100, [CAROL]: carol } : { [ALICE]: 100, [BOB]: 100, [CAROL]: carol },
    });
    dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '', content: { creator: ALICE } });
    dag.add({
      id: 'IMA',
      sender: ALICE,
      type: 'm.room.member',
      stateKey: ALICE,
      content: join,
      authEvents: c,
      prevEvents: ['CREATE'],
    });
    dag.add({
      id: 'P0',
      sender: ALICE,
      type: 'm.room.power_levels',
      stateKey: '',
      content: levels(50),
      authEvents: [...c, 'IMA'],
    });
    dag.add({
      id: 'JR',
      sender: ALICE,
      type: 'm.room.join_rules',
      stateKey: '',
      content: { join_rule: 'public' },
      authEvents: [...c, 'IMA', 'P0'],
    });
    dag.add({
      id: 'IMB',
      sender: BOB,
      type: 'm.room.member',
      stateKey: BOB,
      content: join,
      authEvents: [...c, 'P0', 'JR'],
    });
    dag.add({
      id: 'IMC',
      sender: CAROL,
      type: 'm.room.member',
      stateKey: CAROL,
      content: join,
      authEvents: [...c, 'P0', 'JR'],
    });
    dag.add({
      id: 'BAN',
      sender: BOB,
      type: 'm.room.member',
      stateKey: CAROL,
      content: { membership: 'ban' },
      authEvents: [...c, 'P0', 'IMB', 'IMC'],
    });
    dag.add({
      id: 'IMC2',
      sender: CAROL,
      type: 'm.room.member',
      stateKey: CAROL,
      content: { membership: 'join', displayname: 'Carol' },
      authEvents: [...c, 'P0', 'JR', 'IMC'],
    });
    dag.add({
      id: 'P1',
      sender: ALICE,
      type: 'm.room.power_levels',
      stateKey: '',
      content: levels(100),
      authEvents: [...c, 'IMA', 'P0'],
    });
    return dag;
  }
  const sets = (dag: TestDag): Map<string, string>[] => [
    dag.state('CREATE', 'IMA', 'P0', 'JR', 'IMB', 'IMC', 'BAN'),
    dag.state('CREATE', 'IMA', 'P0', 'JR', 'IMB', 'IMC2', 'P1'),
  ];

  void it('v12: Alice (a creator) goes first, so Bob can no longer ban Carol', () => {
    const dag = scenario(roomVersion('12'));
    const got = resolve(dag, sets(dag));
    assert.equal(got.get(PL), eid('P1'));
    assert.equal(got.get(member(CAROL)), eid('IMC2'));
  });

  void it('v11: Alice and Bob tie at 100, so the earlier ban goes first and stands', () => {
    const dag = scenario(roomVersion('11'));
    const got = resolve(dag, sets(dag));
    assert.equal(got.get(PL), eid('P1'));
    assert.equal(got.get(member(CAROL)), eid('BAN'));
  });
});

void describe('inputs', () => {
  const dag = replayScenario(roomVersion('12'));
  const dodgy = dag.state('CREATE', 'E2', 'E5', 'E6', 'E10', 'E3', 'E4');
  const sensible = dag.state('CREATE', 'E2', 'E5', 'E6', 'E11', 'E8', 'E4');

  void it('precomputed auth chains give the same result as walking the DAG', () => {
    const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
    // Chains without the sets' own events: those count as part of the chain anyway.
    const chains = [dodgy, sensible].map((s) => {
      const all = authClosure(ctx, s.values());
      for (const id of s.values()) all.delete(id);
      return all;
    });
    assert.deepEqual(resolve(dag, [dodgy, sensible], { authChains: chains }), resolve(dag, [dodgy, sensible]));
  });

  void it('rejects precomputed auth chains that do not match the state sets', () => {
    assert.throws(() => resolve(dag, [dodgy, sensible], { authChains: [new Set()] }), /one entry per state set/);
  });

  void it('throws when an event of a conflicted state set is missing', () => {
    const broken = new Map(dodgy).set(member(ZARA), '$NOPE');
    assert.throws(() => resolve(dag, [broken, sensible]), /\$NOPE is not available/);
  });

  void it('resolves no state sets to the empty state and one to itself', () => {
    assert.deepEqual(resolve(dag, []), new Map());
    assert.deepEqual(resolve(dag, [dodgy]), dodgy);
  });
});
