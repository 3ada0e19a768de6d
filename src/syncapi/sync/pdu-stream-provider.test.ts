import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MembershipEvent } from '../storage/index.js';
import { planChangedRoom } from './pdu-stream-provider.js';

const R = '!r:hs.test';
const m = (position: number, membership: string): MembershipEvent => ({ roomId: R, eventId: `$${position}`, position, membership });
const plan = (prior: string | null, list: MembershipEvent[], fullState = false) => planChangedRoom({ fullState }, R, prior, list, 10, 50);

describe('planChangedRoom', () => {
  it('a join in the range: the room with its full state, history checked before the join', () => {
    assert.deepEqual(plan('invite', [m(20, 'join')]), { roomId: R, section: 'join', after: 10, upTo: 50, state: 'full', visibleFrom: 20, summary: 'always' });
    assert.deepEqual(plan(null, [m(20, 'join')])?.visibleFrom, 20);
  });

  it('joined all along (a profile change): a delta, nothing to check', () => {
    assert.deepEqual(plan('join', [m(20, 'join')]), { roomId: R, section: 'join', after: 10, upTo: 50, state: 'delta', visibleFrom: 0, summary: 'always' });
    assert.equal(plan('join', [m(20, 'join')], true)?.state, 'full');
  });

  it('left and came back: full state from the second join', () => {
    assert.deepEqual(plan('join', [m(20, 'leave'), m(30, 'join')]), { roomId: R, section: 'join', after: 10, upTo: 50, state: 'full', visibleFrom: 30, summary: 'always' });
  });

  it('a leave or ban ends the timeline at that event', () => {
    assert.deepEqual(plan('join', [m(25, 'leave')]), { roomId: R, section: 'leave', after: 10, upTo: 25, state: 'delta', visibleFrom: 0, summary: 'if-members' });
    assert.deepEqual(plan('invite', [m(15, 'join'), m(25, 'ban')]), { roomId: R, section: 'leave', after: 10, upTo: 25, state: 'full', visibleFrom: 15, summary: 'if-members' });
  });

  it('a leave without a join (rejected invite, withdrawn knock): only that event', () => {
    assert.deepEqual(plan('invite', [m(25, 'leave')]), { roomId: R, section: 'leave', after: 24, upTo: 25, state: 'none', visibleFrom: 0, summary: 'if-members' });
  });

  it('an invite or knock has no timeline plan (stripped state instead)', () => {
    assert.equal(plan(null, [m(20, 'invite')]), undefined);
    assert.equal(plan('leave', [m(20, 'knock')]), undefined);
  });
});
