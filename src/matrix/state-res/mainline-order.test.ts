import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomVersion } from '../room-version.js';
import { mainlineOrder } from './mainline-order.js';
import { createResolutionContext } from './resolution-context.js';
import { createTestDag, eid } from './test-dag.js';

const ALICE = '@alice:example.com';

void describe('mainlineOrder', () => {
  const dag = createTestDag(roomVersion('11'));
  const pl = (id: string, auth: string[]): void => {
    dag.add({
      id,
      sender: ALICE,
      type: 'm.room.power_levels',
      stateKey: '',
      content: { users: { [ALICE]: 100 } },
      authEvents: ['CREATE', ...auth],
    });
  };
  const topic = (id: string, auth: string[], ts: number): void => {
    dag.add({ id, sender: ALICE, type: 'm.room.topic', stateKey: '', authEvents: ['CREATE', ...auth], ts });
  };
  dag.add({ id: 'CREATE', sender: ALICE, type: 'm.room.create', stateKey: '' });
  pl('P0', []);
  pl('P1', ['P0']);
  pl('P2', ['P1']);
  pl('PX', ['P0']); // a fork of the power levels that meets the mainline at P0
  topic('Y', ['P2'], 100);
  topic('Z', ['P1'], 101);
  topic('X', ['P0'], 103);
  topic('V', ['PX'], 102);
  topic('W', [], 104);
  const ctx = createResolutionContext({ roomVersion: dag.roomVersion, getEvent: dag.getEvent });
  const ids = ['Y', 'Z', 'X', 'V', 'W'].map(eid);

  void it('orders by mainline position (earliest first; none at all before everything), then time', () => {
    assert.deepEqual(mainlineOrder(ctx, ids, eid('P2')), ['W', 'V', 'X', 'Z', 'Y'].map(eid));
  });

  void it('depends on which power levels event the mainline starts from', () => {
    // From P1, P2 is off the mainline: Y joins it at P1 like Z, and is earlier.
    assert.deepEqual(mainlineOrder(ctx, ids, eid('P1')), ['W', 'V', 'X', 'Y', 'Z'].map(eid));
  });

  void it('without power levels, orders by time then event ID', () => {
    assert.deepEqual(mainlineOrder(ctx, ids, undefined), ['Y', 'Z', 'V', 'X', 'W'].map(eid));
  });
});
