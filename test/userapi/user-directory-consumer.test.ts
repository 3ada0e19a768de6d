/**
 * The `userapi-roomserver` consumer fed the real `OutputRoomEvent` messages of a real roomserver
 * (SQLite and PostgreSQL, in-process and over inthttp): local and remote joins, redelivery of
 * everything, a consumer starting mid-stream (the room is read whole from the roomserver), a
 * state delta naming other events (fetched), a join rule change, a leave and a redacted member
 * event.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Kysely } from 'kysely';
import { typedDb } from '../../src/internal/sqlutil/database.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleRoomserverOutput } from '../../src/userapi/consumers/roomserver.js';
import { openUserStorage, type StoredAccount, type UserStorage } from '../../src/userapi/storage/index.js';
import type { UserapiTables } from '../../src/userapi/storage/userapi-tables.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid, type RoomserverEnv } from '../roomserver/roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');
const CAROL = uid('carol');
const RITA = uid('rita', REMOTE);

function account(localpart: string): StoredAccount {
  return { localpart, passwordHash: null, accountType: 'user', isAdmin: false, deactivated: false, appserviceId: null, createdTs: 0 };
}

interface Directory {
  readonly storage: UserStorage;
  readonly db: Kysely<UserapiTables>;
  /** Hands `msgs` to the consumer's handler, in order. */
  feed(msgs: readonly OutputRoomEventMessage[]): Promise<void>;
  /** The user IDs `searcher` finds for `term`. */
  find(searcher: string, term: string): Promise<string[]>;
  /** Every directory row, to compare two directories. */
  dump(): Promise<unknown>;
}

describeRoomserverApi('user directory consumer', (api, env) => {
  let roomId = '';
  let ritaJoin: RoomEvent;
  let dir: Directory;
  /** Messages the first directory has been fed. */
  let fed = 0;

  const openDirectory = async (e: RoomserverEnv): Promise<Directory> => {
    const database = await e.backend.open();
    const storage = await openUserStorage(database);
    for (const name of ['alice', 'bob', 'carol']) await storage.createAccount(account(name), name === 'bob' ? 'Bobby Tables' : null);
    const deps = { storage, roomserver: api(), serverName: SERVER };
    const db = typedDb<UserapiTables>(database);
    return {
      storage,
      db,
      async feed(msgs) {
        for (const m of msgs) await handleRoomserverOutput(deps, m);
      },
      async find(searcher, term) {
        const r = await storage.searchUserDirectory({ searcherId: searcher, term, limit: 10, searchAllUsers: false, serverName: SERVER });
        return r.results.map((x) => x.userId);
      },
      async dump() {
        return {
          rooms: await db.selectFrom('userapi_directory_rooms').selectAll().orderBy('room_id').execute(),
          members: await db.selectFrom('userapi_directory_room_members').selectAll().orderBy('room_id').orderBy('user_id').execute(),
          remote: await db.selectFrom('userapi_directory_remote_users').selectAll().orderBy('user_id').execute(),
        };
      },
    };
  };
  /** Waits for the roomserver's messages so far and feeds the new ones to `dir`. */
  const catchUp = async (count: number): Promise<void> => {
    await env().waitForPublished((m) => m.length >= count);
    await dir.feed(env().published.slice(fed));
    fed = env().published.length;
  };
  const send = (type: string, sender: string, content: Record<string, unknown>, stateKey?: string) =>
    api().performSendEvents({ events: [{ roomId, type, sender, content: content as never, ...(stateKey !== undefined ? { stateKey } : {}) }] });

  before(async () => {
    dir = await openDirectory(env());
  });

  it('records local and remote joins of a public room', async () => {
    roomId = (await createRoom(api(), '11', ALICE, `!dir:${SERVER}`)).roomId;
    await send('m.room.member', BOB, { membership: 'join', displayname: 'Bob in the room' }, BOB);
    ritaJoin = await remoteEvent(api(), roomId, env().remoteKey, {
      type: 'm.room.member',
      stateKey: RITA,
      sender: RITA,
      content: { membership: 'join', displayname: 'Rita Remote', avatar_url: 'mxc://remote.test/r' },
    });
    const { results } = await api().inputRoomEvents({ inputs: [{ kind: 'new', event: ritaJoin.json, roomVersion: '11', origin: REMOTE }] });
    assert.equal(results[0]?.accepted, true);
    await send('m.room.message', BOB, { msgtype: 'm.text', body: 'hello' });
    // create, alice's join, power levels, join rules, bob's join, rita's join, the message.
    await catchUp(7);

    assert.deepEqual(await dir.find(BOB, 'rita'), [RITA]);
    assert.deepEqual(await dir.find(BOB, 'tables'), [BOB], "bob's global profile, not his member event's");
    assert.deepEqual(await dir.find(CAROL, 'alice'), [ALICE], 'the room is public: carol, in no room, finds its members');
    const r = await dir.storage.searchUserDirectory({ searcherId: ALICE, term: 'remote', limit: 10, searchAllUsers: false, serverName: SERVER });
    assert.deepEqual(r.results, [{ userId: RITA, displayName: 'Rita Remote', avatarUrl: 'mxc://remote.test/r', sharesRoom: true }]);
    assert.deepEqual((await dir.dump()) as object, {
      rooms: [{ room_id: roomId, join_rule: 'public', history_visibility: null, stream_pos: 6 }],
      members: [ALICE, BOB, RITA].sort().map((u) => ({ room_id: roomId, user_id: u, localpart: u === RITA ? null : u.slice(1, u.indexOf(':')) })),
      remote: [{ user_id: RITA, display_name: 'Rita Remote', avatar_url: 'mxc://remote.test/r', search_text: ' rita remote test ', sort_name: 'rita remote' }],
    });
  });

  it('changes nothing when every message is delivered again', async () => {
    const before_ = await dir.dump();
    await dir.feed(env().published.slice(0, fed));
    assert.deepEqual(await dir.dump(), before_);
  });

  it('reads a room whole when it starts mid-stream', async () => {
    const late = await openDirectory(env());
    // Only the last message (bob's text message): the room is new to this directory.
    const last = env().published[fed - 1]!;
    await late.feed([last]);
    const expected = (await dir.dump()) as { rooms: object[] };
    // The same rows, the room at the position of the message it was read at.
    const at = last.type === 'new_room_event' ? last.streamPosition : -1;
    assert.deepEqual(await late.dump(), { ...expected, rooms: expected.rooms.map((r) => ({ ...r, stream_pos: at })) });
    // Only rita's join (a state delta) on another fresh directory: read whole as well.
    const late2 = await openDirectory(env());
    const join = env().published[fed - 2]!;
    assert.ok(join.type === 'new_room_event' && join.eventId === ritaJoin.eventId);
    await late2.feed([join]);
    const rows = (await late2.dump()) as { members: unknown[]; rooms: Array<{ stream_pos: number }> };
    assert.equal(rows.members.length, 3);
    assert.equal(rows.rooms[0]?.stream_pos, join.streamPosition);
  });

  it('fetches the events a state delta names besides its own', async () => {
    const late = await openDirectory(env());
    const last = env().published[fed - 1]!;
    assert.equal(last.type, 'new_room_event');
    if (last.type !== 'new_room_event') return;
    await late.feed([{ ...last, streamPosition: 1, addsStateEventIds: [], removesStateEventIds: [] }]);
    // A later message whose delta re-adds rita's join and removes bob's (as a state reset could).
    const bobJoin = env().published.find((m) => m.type === 'new_room_event' && m.event.type === 'm.room.member' && m.event.state_key === BOB);
    assert.ok(bobJoin?.type === 'new_room_event');
    await late.storage.applyDirectoryRoomChange({ roomId, streamPosition: 2, left: [RITA] });
    assert.deepEqual(await late.find(ALICE, 'rita'), []);
    await late.feed([{ ...last, streamPosition: 3, addsStateEventIds: [ritaJoin.eventId], removesStateEventIds: [bobJoin.eventId] }]);
    assert.deepEqual(await late.find(ALICE, 'rita'), [RITA]);
    assert.deepEqual(await late.find(ALICE, 'bob'), [], 'a removed membership not replaced is a leave');
  });

  it('hides members of a room that stops being public, but not from those sharing it', async () => {
    await send('m.room.join_rules', ALICE, { join_rule: 'invite' }, '');
    await catchUp(fed + 1);
    assert.deepEqual(await dir.find(CAROL, 'alice'), []);
    assert.deepEqual(await dir.find(BOB, 'alice'), [ALICE]);
    await send('m.room.history_visibility', ALICE, { history_visibility: 'world_readable' }, '');
    await catchUp(fed + 1);
    assert.deepEqual(await dir.find(CAROL, 'alice'), [ALICE], 'world-readable rooms are public too');
  });

  it('follows a leave and a redacted member event', async () => {
    await send('m.room.member', BOB, { membership: 'leave' }, BOB);
    await catchUp(fed + 1);
    assert.deepEqual(await dir.find(ALICE, 'bobby'), []);
    await send('m.room.history_visibility', ALICE, { history_visibility: 'shared' }, '');
    await api().performSendEvents({ events: [{ roomId, type: 'm.room.redaction', sender: ALICE, content: {}, redacts: ritaJoin.eventId }] });
    await env().waitForPublished((m) => m.some((x) => x.type === 'redacted_event' && x.redactedEventId === ritaJoin.eventId));
    await catchUp(env().published.length);
    const r = await dir.storage.searchUserDirectory({ searcherId: ALICE, term: 'rita', limit: 10, searchAllUsers: false, serverName: SERVER });
    assert.deepEqual(r.results, [{ userId: RITA, displayName: null, avatarUrl: null, sharesRoom: true }]);
    assert.deepEqual(await dir.find(ALICE, 'remote'), [RITA], 'still found by the words of the user ID');
  });
});
