/**
 * The `device_list` stream on SQLite and PostgreSQL: `syncapi_device_list_changes` (a change
 * logged once per key, positions increasing), who may see a change (users sharing a joined room
 * now, and the user themselves), and `device_lists` computed from key changes plus the member
 * events of the `pdu` stream: joins to the user's rooms and every member of a room they joined
 * in `changed`, members of rooms they left and members leaving in `left` unless they still
 * share a room.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openSyncStorage, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { deviceListChanges } from '../../src/syncapi/sync/device-list-changes.js';
import { createDeviceListPosition, deviceListStreamProvider } from '../../src/syncapi/sync/device-list-stream-provider.js';
import type { SyncRequestContext } from '../../src/syncapi/sync/stream-provider.js';
import { emptySyncResponse } from '../../src/syncapi/sync/sync-response.js';
import { ZERO_POSITIONS } from '../../src/syncapi/sync/stream-token.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { newSyncEvent } from './sync-storage-kit.js';

const u = (name: string) => `@${name}:hs.test`;
const [ALICE, BOB, CAROL, DAVE, ERIN, FRANK] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map(u) as [string, string, string, string, string, string];

describeEachBackend('syncapi device list stream', (ctx) => {
  let storage: SyncStorage;
  let depth = 0;
  const current = new Map<string, string>();
  /** Writes `userId`'s member event in `roomId`, replacing their previous one. */
  const member = async (roomId: string, userId: string, membership: string): Promise<number> => {
    const eventId = `$m${++depth}`;
    const json = JSON.stringify({ event_id: eventId, room_id: roomId, type: 'm.room.member', sender: userId, state_key: userId, content: { membership } });
    const key = `${roomId}|${userId}`;
    const prev = current.get(key);
    current.set(key, eventId);
    const position = await storage.writeRoomEvent({
      event: newSyncEvent(roomId, eventId, depth, { type: 'm.room.member', sender: userId, stateKey: userId, membership, json, addsState: [eventId], removesState: prev ? [prev] : [] }),
      adds: [{ type: 'm.room.member', stateKey: userId, eventId, json, membership }],
      removes: prev ? [prev] : [],
    });
    assert.ok(position !== undefined);
    return position;
  };

  before(async () => {
    storage = await openSyncStorage(await ctx.open());
    await member('!r1:hs.test', ALICE, 'join');
    await member('!r1:hs.test', BOB, 'join');
    await member('!r2:hs.test', ALICE, 'join');
    await member('!r2:hs.test', CAROL, 'join');
    await member('!r3:hs.test', DAVE, 'join');
    await member('!r4:hs.test', FRANK, 'join');
  });

  it('logs each change once, in increasing positions', async () => {
    assert.equal(await storage.latestDeviceListPosition(), 0);
    const p1 = await storage.writeDeviceListChange(BOB, 'local:1');
    const p2 = await storage.writeDeviceListChange(DAVE, 'remote:x');
    assert.ok(p1 !== undefined && p2 !== undefined && p2 > p1);
    assert.equal(await storage.writeDeviceListChange(BOB, 'local:1'), undefined, 'a redelivered change is logged once');
    assert.equal(await storage.latestDeviceListPosition(), p2);
  });

  it('shows a change to the user and to users sharing a joined room with them now', async () => {
    const from = await storage.latestDeviceListPosition();
    await storage.writeDeviceListChange(CAROL, 'local:2');
    await storage.writeDeviceListChange(DAVE, 'remote:y');
    await storage.writeDeviceListChange(ALICE, 'local:3');
    const to = await storage.latestDeviceListPosition();
    assert.deepEqual(await storage.deviceListChangesFor(ALICE, from, to), [ALICE, CAROL]);
    assert.deepEqual(await storage.deviceListChangesFor(DAVE, from, to), [DAVE]);
    assert.deepEqual(await storage.deviceListChangesFor(BOB, from, to), [ALICE]);
    assert.deepEqual(await storage.deviceListChangesFor(ALICE, to, to), []);
    assert.deepEqual([...(await storage.usersSharingRooms(ALICE, [BOB, CAROL, DAVE, FRANK]))].sort(), [BOB, CAROL]);
    assert.deepEqual([...(await storage.joinedMembersOf(['!r1:hs.test', '!r3:hs.test']))].sort(), [ALICE, BOB, DAVE]);
  });

  it('adds joins and removes leaves from the member events since the token', async () => {
    const dlFrom = await storage.latestDeviceListPosition();
    const pduFrom = await storage.latestPosition();
    await member('!r1:hs.test', ERIN, 'join'); // joins a room of alice's
    await member('!r2:hs.test', CAROL, 'leave'); // leaves alice's only shared room
    await member('!r4:hs.test', ALICE, 'join'); // alice joins frank's room
    await member('!r1:hs.test', ALICE, 'leave'); // bob shares no room with alice any more
    await member('!r3:hs.test', DAVE, 'leave'); // not alice's business
    await storage.writeDeviceListChange(BOB, 'local:4'); // no longer shares a room: not shown
    const pduTo = await storage.latestPosition();
    const dlTo = await storage.latestDeviceListPosition();
    const memberships = await storage.userMemberships(ALICE);
    const got = await deviceListChanges(storage, ALICE, memberships, { from: dlFrom, to: dlTo, pduFrom, pduTo });
    // Erin joined r1 but alice left it after: erin shares no room with her either.
    assert.deepEqual(got, { changed: [FRANK], left: [BOB, CAROL, ERIN] });
    // From erin's side: she joined r1, where bob still is.
    assert.deepEqual(await deviceListChanges(storage, ERIN, await storage.userMemberships(ERIN), { from: dlFrom, to: dlTo, pduFrom, pduTo }), {
      changed: [BOB],
      left: [],
    });

    // The stream provider writes the same, from the `since` token's positions.
    const provider = deviceListStreamProvider(storage, createDeviceListPosition(dlTo));
    const response = emptySyncResponse();
    const since = { ...ZERO_POSITIONS, pdu: pduFrom, device_list: dlFrom };
    const sctx = { userId: ALICE, deviceId: 'D', memberships, response, since } as unknown as SyncRequestContext;
    assert.equal(await provider.latest(sctx), dlTo);
    await provider.incremental(sctx, dlFrom, dlTo);
    assert.deepEqual(response.device_lists, { changed: [FRANK], left: [BOB, CAROL, ERIN] });
    const initial = emptySyncResponse();
    await provider.initial({ ...sctx, response: initial, since: null } as SyncRequestContext, dlTo);
    assert.deepEqual(initial.device_lists, { changed: [], left: [] }, 'an initial sync lists nothing');
  });
});
