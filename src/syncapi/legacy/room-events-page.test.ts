import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MembershipEvent } from '../storage/index.js';
import { joinRuns } from './room-events-page.js';

const R = '!r:hs.test';
const m = (position: number, membership: string): MembershipEvent => ({ roomId: R, eventId: `$${position}`, position, membership });

describe('joinRuns', () => {
  it('joined all along: the whole range, a profile change (join after join) not cutting it', () => {
    assert.deepEqual(joinRuns(R, 'join', [m(15, 'join')], 10, 20), [{ roomId: R, after: 10, upTo: 20 }]);
  });

  it('a join starts a run with the join event itself; a leave, kick or ban ends it with that event', () => {
    assert.deepEqual(joinRuns(R, 'invite', [m(12, 'join'), m(15, 'leave')], 10, 20), [{ roomId: R, after: 11, upTo: 15 }]);
    assert.deepEqual(joinRuns(R, 'join', [m(13, 'ban')], 10, 20), [{ roomId: R, after: 10, upTo: 13 }]);
  });

  it('leaving and joining again makes two runs; the second lasts to the end of the range', () => {
    assert.deepEqual(joinRuns(R, 'join', [m(12, 'leave'), m(14, 'invite'), m(16, 'join')], 10, 20), [
      { roomId: R, after: 10, upTo: 12 },
      { roomId: R, after: 15, upTo: 20 },
    ]);
  });

  it('never joined (an invite rejected, a knock): no run', () => {
    assert.deepEqual(joinRuns(R, undefined, [m(12, 'invite'), m(14, 'leave')], 10, 20), []);
    assert.deepEqual(joinRuns(R, 'leave', [m(12, 'knock')], 10, 20), []);
  });
});
