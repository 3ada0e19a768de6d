/**
 * The syncapi storage behind `/sync` filters, on SQLite and PostgreSQL: the lazy-loading records
 * of what each device was sent (`syncapi_sent_members`, and the per-response session over it),
 * and a user's membership at a different position in each room (`unsigned.membership`).
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openSyncStorage, type NewSyncEvent, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { openSentMembers } from '../../src/syncapi/sync/sent-members.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const A = '@a:hs.test';
const B = '@b:hs.test';
const R1 = '!one:hs.test';
const R2 = '!two:hs.test';

let n = 0;
function member(roomId: string, userId: string, membership: string): NewSyncEvent {
  const eventId = `$m${++n}`;
  return {
    roomId,
    eventId,
    type: 'm.room.member',
    sender: userId,
    stateKey: userId,
    membership,
    depth: n,
    originServerTs: n,
    json: JSON.stringify({ event_id: eventId, type: 'm.room.member', state_key: userId, sender: userId, content: { membership } }),
    strippedState: null,
    addsState: [eventId],
    removesState: [],
    txnDeviceId: null,
    txnId: null,
  };
}

describeEachBackend('syncapi storage for filters', (ctx) => {
  let storage: SyncStorage;
  before(async () => {
    storage = await openSyncStorage(await ctx.open());
  });

  it('records members sent per device and room, replaces them, and forgets a whole device', async () => {
    assert.deepEqual(await storage.sentMembers(A, 'D1', [R1]), new Map());
    await storage.addSentMembers(A, 'D1', [
      { roomId: R1, memberId: A, eventId: '$1' },
      { roomId: R1, memberId: B, eventId: '$2' },
      { roomId: R2, memberId: B, eventId: '$3' },
      // The same key twice in one call: the last one counts.
      { roomId: R2, memberId: B, eventId: '$4' },
    ]);
    await storage.addSentMembers(A, 'D2', [{ roomId: R1, memberId: B, eventId: '$9' }]);
    await storage.addSentMembers(A, 'D1', [{ roomId: R1, memberId: B, eventId: '$5' }]);
    const got = await storage.sentMembers(A, 'D1', [R1, R2]);
    assert.deepEqual(got, new Map([[R1, new Map([[A, '$1'], [B, '$5']])], [R2, new Map([[B, '$4']])]]));
    assert.deepEqual(await storage.sentMembers(A, 'D1', [R2]), new Map([[R2, new Map([[B, '$4']])]]));
    await storage.clearSentMembers(A, 'D1');
    assert.deepEqual(await storage.sentMembers(A, 'D1', [R1, R2]), new Map());
    assert.deepEqual(await storage.sentMembers(A, 'D2', [R1]), new Map([[R1, new Map([[B, '$9']])]]), 'another device keeps its records');
  });

  it('a session reads once, serves its device only, and writes back what changed', async () => {
    await storage.addSentMembers(B, 'S', [{ roomId: R1, memberId: A, eventId: '$a1' }]);
    const s = await openSentMembers(storage, B, 'S', [R1, R2], false);
    assert.deepEqual(s.get(B, 'S', R1), { [A]: '$a1' });
    assert.equal(s.get(B, 'other', R1), undefined);
    assert.equal(s.get(B, 'S', R2), undefined);
    s.set(B, 'S', R1, { [A]: '$a1', [B]: '$b1' });
    s.set(B, 'other', R2, { [A]: '$x' });
    assert.deepEqual(s.get(B, 'S', R1), { [A]: '$a1', [B]: '$b1' });
    await s.flush();
    assert.deepEqual(await storage.sentMembers(B, 'S', [R1, R2]), new Map([[R1, new Map([[A, '$a1'], [B, '$b1']])]]));
    assert.deepEqual(await storage.sentMembers(B, 'other', [R2]), new Map());
    // Clearing in the session forgets the device on flush; a reset session starts empty.
    s.clearDevice(B, 'S');
    assert.equal(s.get(B, 'S', R1), undefined);
    s.set(B, 'S', R2, { [A]: '$a2' });
    await s.flush();
    assert.deepEqual(await storage.sentMembers(B, 'S', [R1, R2]), new Map([[R2, new Map([[A, '$a2']])]]));
    const fresh = await openSentMembers(storage, B, 'S', [R1, R2], true);
    assert.equal(fresh.get(B, 'S', R2), undefined);
    assert.deepEqual(await storage.sentMembers(B, 'S', [R2]), new Map());
  });

  it("a user's membership at a different position in each room", async () => {
    const write = async (e: NewSyncEvent) => (await storage.writeRoomEvent({ event: e, adds: [], removes: [] }))!;
    const inviteR1 = await write(member(R1, A, 'invite'));
    const joinR1 = await write(member(R1, A, 'join'));
    const joinR2 = await write(member(R2, A, 'join'));
    await write(member(R2, B, 'join'));
    const leaveR2 = await write(member(R2, A, 'leave'));
    const got = await storage.membershipsAtEach(A, [
      { roomId: R1, at: joinR1 - 1 },
      { roomId: R2, at: leaveR2 - 1 },
      { roomId: '!none:hs.test', at: leaveR2 },
    ]);
    assert.deepEqual(got, new Map([[R1, 'invite'], [R2, 'join']]));
    assert.deepEqual(await storage.membershipsAtEach(A, [{ roomId: R1, at: inviteR1 - 1 }, { roomId: R2, at: leaveR2 }]), new Map([[R2, 'leave']]));
    assert.deepEqual(await storage.membershipsAtEach(A, [{ roomId: R2, at: joinR2 }]), new Map([[R2, 'join']]));
    assert.deepEqual(await storage.membershipsAtEach(A, []), new Map());
  });
});
