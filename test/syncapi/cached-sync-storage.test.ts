/**
 * The syncapi's cached storage answers exactly what the plain storage under it answers, on SQLite
 * and PostgreSQL: every range of the hot sync reads (inside the recent-events window and reaching
 * below it), memberships after member events and wholesale state changes, lazy-loading records
 * after writes and clears, and the latest positions of the `pdu`, `receipt` and `presence`
 * streams. Tiny cache sizes force evictions throughout.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { cachedSyncStorage } from '../../src/syncapi/storage/cached-sync-storage.js';
import { openSyncStorage, type NewSyncEvent, type StateEntryWrite, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const HS = 'hs.test';
const USERS = ['@alice', '@bob', '@carol'].map((u) => `${u}:${HS}`);
const ROOMS = ['!one', '!two', '!three'].map((r) => `${r}:${HS}`);

describeEachBackend('syncapi cached storage', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let plain: SyncStorage;
  let cached: SyncStorage;
  let n = 0;

  /** Writes one event through the cached storage; state events replace their key's previous one. */
  const current = new Map<string, string>();
  async function write(roomId: string, type: string, sender: string, stateKey: string | null, membership: string | null = null): Promise<number | undefined> {
    const eventId = `$ev${++n}`;
    const json = JSON.stringify({ event_id: eventId, room_id: roomId, type, sender, content: membership ? { membership } : { body: `m${n}` }, origin_server_ts: n, ...(stateKey !== null ? { state_key: stateKey } : {}) });
    const event: NewSyncEvent = {
      roomId, eventId, type, sender, stateKey, membership, depth: n, originServerTs: n, json, strippedState: null,
      addsState: stateKey !== null ? [eventId] : [], removesState: [], txnDeviceId: null, txnId: null,
    };
    const key = `${roomId}|${type}|${stateKey}`;
    const replaced = stateKey !== null ? current.get(key) : undefined;
    const adds: StateEntryWrite[] = stateKey !== null ? [{ type, stateKey, eventId, json, membership }] : [];
    const position = await cached.writeRoomEvent({ event: { ...event, removesState: replaced ? [replaced] : [] }, adds, removes: replaced ? [replaced] : [] });
    if (stateKey !== null) current.set(key, eventId);
    return position;
  }

  before(async () => {
    plain = await openSyncStorage(await ctx.open());
    cached = await cachedSyncStorage(plain, { recentEvents: 5, users: 2, devices: 1, rooms: 2 });
  });

  it('answers every range of the sync reads as storage does, in and below the window', async () => {
    for (const [i, roomId] of ROOMS.entries()) {
      await write(roomId, 'm.room.create', USERS[0]!, '');
      for (const u of USERS.slice(0, i + 1)) await write(roomId, 'm.room.member', u, u, 'join');
    }
    for (let i = 0; i < 12; i++) await write(ROOMS[i % 3]!, 'm.room.message', USERS[i % 3]!, null);
    await write(ROOMS[2]!, 'm.room.member', USERS[1]!, USERS[1]!, 'leave');
    await write(ROOMS[0]!, 'm.room.member', USERS[2]!, USERS[2]!, 'invite');
    const latest = await plain.latestPosition();
    assert.equal(latest, 23);
    assert.equal(await cached.latestPosition(), latest);
    for (let after = 0; after <= latest; after++) {
      for (let upTo = after; upTo <= latest; upTo++) {
        const at = `(${after}, ${upTo}]`;
        assert.deepEqual((await cached.activeRooms(after, upTo)).sort(), (await plain.activeRooms(after, upTo)).sort(), `active rooms ${at}`);
        for (const u of USERS) assert.deepEqual(await cached.membershipEvents(u, after, upTo), await plain.membershipEvents(u, after, upTo), `${u} member events ${at}`);
        const ranges = ROOMS.map((roomId) => ({ roomId, after, upTo }));
        for (const limit of [1, 3, 50]) assert.deepEqual(await cached.recentEvents(ranges, limit), await plain.recentEvents(ranges, limit), `recent events ${at} limit ${limit}`);
      }
    }
  });

  it('serves a redacted event redacted', async () => {
    const position = await write(ROOMS[0]!, 'm.room.message', USERS[0]!, null);
    const [stored] = (await plain.recentEvents([{ roomId: ROOMS[0]!, after: position! - 1, upTo: position! }], 1)).get(ROOMS[0]!)!;
    assert.equal(await cached.redactEvent(stored!.eventId, '{"redacted":1}'), true);
    const served = (await cached.recentEvents([{ roomId: ROOMS[0]!, after: position! - 1, upTo: position! }], 1)).get(ROOMS[0]!)!;
    assert.equal(served[0]!.json, '{"redacted":1}');
  });

  it('follows memberships as member events are written', async () => {
    const memberships = async (u: string) => (await cached.userMemberships(u)).map((m) => `${m.roomId}:${m.membership}@${m.addedAt}`).sort();
    const expected = async (u: string) => (await plain.userMemberships(u)).map((m) => `${m.roomId}:${m.membership}@${m.addedAt}`).sort();
    for (const u of USERS) assert.deepEqual(await memberships(u), await expected(u));
    await write(ROOMS[1]!, 'm.room.member', USERS[1]!, USERS[1]!, 'leave');
    await write(ROOMS[2]!, 'm.room.member', USERS[2]!, USERS[2]!, 'ban');
    await write(ROOMS[0]!, 'm.room.member', USERS[2]!, USERS[2]!, 'join');
    for (const u of USERS) assert.deepEqual(await memberships(u), await expected(u), u);
    assert.ok((await memberships(USERS[2]!)).includes(`${ROOMS[0]}:join@${await plain.latestPosition()}`));
  });

  it('keeps lazy-loading records as written and cleared', async () => {
    const dev = (u: string) => ({ u, d: 'DEV' });
    const read = async (s: SyncStorage, u: string) => Object.fromEntries([...(await s.sentMembers(dev(u).u, 'DEV', ROOMS))].map(([r, m]) => [r, Object.fromEntries(m)]));
    assert.deepEqual(await read(cached, USERS[0]!), {});
    await cached.addSentMembers(USERS[0]!, 'DEV', [{ roomId: ROOMS[0]!, memberId: USERS[1]!, eventId: '$m1' }]);
    await cached.addSentMembers(USERS[0]!, 'DEV', [{ roomId: ROOMS[0]!, memberId: USERS[1]!, eventId: '$m2' }, { roomId: ROOMS[1]!, memberId: USERS[2]!, eventId: '$m3' }]);
    assert.deepEqual(await read(cached, USERS[0]!), { [ROOMS[0]!]: { [USERS[1]!]: '$m2' }, [ROOMS[1]!]: { [USERS[2]!]: '$m3' } });
    assert.deepEqual(await read(cached, USERS[0]!), await read(plain, USERS[0]!));
    // Another device pushes the first out of the one-device cache; it is read back from storage.
    await cached.addSentMembers(USERS[1]!, 'DEV', [{ roomId: ROOMS[2]!, memberId: USERS[0]!, eventId: '$m4' }]);
    assert.deepEqual(await read(cached, USERS[1]!), { [ROOMS[2]!]: { [USERS[0]!]: '$m4' } });
    assert.deepEqual(await read(cached, USERS[0]!), await read(plain, USERS[0]!));
    await cached.clearSentMembers(USERS[0]!, 'DEV');
    assert.deepEqual(await read(cached, USERS[0]!), {});
    assert.deepEqual(await read(plain, USERS[0]!), {});
  });

  it('moves the receipt and presence positions with their writes', async () => {
    assert.equal(await cached.latestReceiptPosition(), 0);
    const r = await cached.writeReceipt({ roomId: ROOMS[0]!, receiptType: 'm.read', userId: USERS[0]!, threadId: '', eventId: '$x', ts: 5 });
    assert.equal(r, 1);
    assert.equal(await cached.writeReceipt({ roomId: ROOMS[0]!, receiptType: 'm.read', userId: USERS[0]!, threadId: '', eventId: '$x', ts: 5 }), undefined);
    assert.equal(await cached.latestReceiptPosition(), await plain.latestReceiptPosition());
    const p = await cached.writePresence({ userId: USERS[1]!, presence: 'online', statusMsg: null, lastActiveTs: 1, currentlyActive: true, sourcePosition: 1 });
    assert.equal(p, 1);
    assert.equal(await cached.latestPresencePosition(), await plain.latestPresencePosition());
    assert.equal(await cached.hasRoomState(ROOMS[0]!), true);
    assert.equal(await cached.hasRoomState('!unknown:hs.test'), false);
  });
}
