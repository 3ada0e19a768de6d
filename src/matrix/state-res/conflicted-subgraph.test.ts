import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomVersion } from '../room-version.js';
import { conflictedSubgraph } from './conflicted-subgraph.js';
import { createResolutionContext } from './resolution-context.js';
import { createTestDag, eid } from './test-dag.js';

const ALICE = '@alice:example.com';

void describe('conflictedSubgraph', () => {
  void it('holds the events on auth paths between conflicted events, endpoints included', () => {
    const dag = createTestDag(roomVersion('12'));
    dag.add({ id: 'A', sender: ALICE, type: 'a', stateKey: '' });
    dag.add({ id: 'B', sender: ALICE, type: 'b', stateKey: '', authEvents: ['A'] });
    dag.add({ id: 'F', sender: ALICE, type: 'f', stateKey: '' });
    dag.add({ id: 'C', sender: ALICE, type: 'c', stateKey: '', authEvents: ['B', 'F'] });
    dag.add({ id: 'D', sender: ALICE, type: 'd', stateKey: '', authEvents: ['A'] });
    dag.add({ id: 'E', sender: ALICE, type: 'e', stateKey: '', authEvents: ['C'] });
    dag.add({ id: 'G', sender: ALICE, type: 'g', stateKey: '' });
    const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
    // F: reached from C but leads to no conflicted event. D, E: lead to one but aren't reached.
    const got = conflictedSubgraph(ctx, new Set([eid('A'), eid('C'), eid('G')]));
    assert.deepEqual([...got].sort(), [eid('A'), eid('B'), eid('C'), eid('G')]);
  });

  void it('walks chains far deeper than the call stack allows', () => {
    const dag = createTestDag(roomVersion('12'));
    const n = 30_000;
    dag.add({ id: 'X0', sender: ALICE, type: 'x', stateKey: '' });
    for (let i = 1; i < n; i++) dag.add({
      id: `X${i}`,
      sender: ALICE,
      type: 'x',
      stateKey: '',
      authEvents: [`X${i - 1}`],
    });
    const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
    assert.equal(conflictedSubgraph(ctx, new Set([eid('X0'), eid(`X${n - 1}`)])).size, n);
    assert.equal(conflictedSubgraph(ctx, new Set([eid(`X${n - 1}`)])).size, 1);
  });
});
