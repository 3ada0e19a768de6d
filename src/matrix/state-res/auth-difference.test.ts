import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomVersion } from '../room-version.js';
import { authDifference } from './auth-difference.js';
import { createResolutionContext } from './resolution-context.js';
import { separateStateSets } from './separate-state-sets.js';
import { createTestDag, eid } from './test-dag.js';

const ALICE = '@alice:example.com';

function chainDag(): ReturnType<typeof createTestDag> {
  const dag = createTestDag(roomVersion('11'));
  dag.add({ id: 'A', sender: ALICE, type: 'a', stateKey: '' });
  dag.add({ id: 'B', sender: ALICE, type: 'b', stateKey: '', authEvents: ['A'] });
  dag.add({ id: 'C', sender: ALICE, type: 'c', stateKey: '', authEvents: ['B'] });
  dag.add({ id: 'D', sender: ALICE, type: 'd', stateKey: '', authEvents: ['A'] });
  return dag;
}

function diff(dag: ReturnType<typeof createTestDag>, sets: Map<string, string>[], pre?: Set<string>[]): string[] {
  const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
  const { unconflicted } = separateStateSets(sets, 'v2');
  return [...authDifference(ctx, sets, unconflicted, pre)].sort();
}

void describe('authDifference', () => {
  void it("counts each set's own events as part of its auth chain (C → B → A: {A, B} vs {C} differ by C)", () => {
    const dag = chainDag();
    // Reading the spec's "auth chains of the events" without the events themselves would give
    // {B}; Synapse and ruma give {C}, and so do we.
    assert.deepEqual(diff(dag, [dag.state('A', 'B'), dag.state('C')]), [eid('C')]);
  });

  void it('leaves out what every chain shares', () => {
    const dag = chainDag();
    assert.deepEqual(diff(dag, [dag.state('C'), dag.state('D')]), [eid('B'), eid('C'), eid('D')]);
    assert.deepEqual(diff(dag, [dag.state('A', 'C'), dag.state('A', 'D')]), [eid('B'), eid('C'), eid('D')]);
  });

  void it('gives the same answer from precomputed chains', () => {
    const dag = chainDag();
    const sets = [dag.state('A', 'C'), dag.state('A', 'D')];
    const pre = [new Set([eid('A'), eid('B')]), new Set([eid('A')])];
    assert.deepEqual(diff(dag, sets, pre), [eid('B'), eid('C'), eid('D')]);
  });
});
