/**
 * `GET /_matrix/federation/v1/timestamp_to_event/{roomId}` over a real roomserver (SQLite and
 * PostgreSQL, in-process and over inthttp): a server in the room gets the event closest to a
 * time in both directions; nothing there, an unknown room, a server with nobody in the room or
 * denied by the ACL, an event it may not see by history visibility, and malformed `ts`/`dir`
 * are refused with the spec's errors.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid } from '../roomserver/roomserver-api-kit.js';
import { refused, withReadApp, type ReadApp } from './room-read-app.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);
const STRANGER = 'stranger.test';
const enc = encodeURIComponent;

/** Sends after a short pause, so every event of the test has its own millisecond. */
async function send(api: RoomserverAPI, roomId: string, type: string, content: JsonObject, stateKey?: string): Promise<string> {
  await new Promise((r) => setTimeout(r, 4));
  const { eventIds } = await api.performSendEvents({ events: [{ roomId, type, sender: ALICE, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
  return eventIds[0]!;
}

async function tsOf(api: RoomserverAPI, eventId: string): Promise<number> {
  const { events } = await api.queryEvents({ eventIds: [eventId] });
  return events[0]!.event.origin_server_ts as number;
}

/** A room (history `visibility`) with two messages, Rob of remote.test joined, then one more message. */
async function roomWithRob(api: RoomserverAPI, key: Parameters<typeof remoteEvent>[2], visibility: string) {
  const room = await createRoom(api, '12', ALICE);
  await send(api, room.roomId, 'm.room.history_visibility', { history_visibility: visibility }, '');
  const early1 = await send(api, room.roomId, 'm.room.message', { msgtype: 'm.text', body: 'early one' });
  const early2 = await send(api, room.roomId, 'm.room.message', { msgtype: 'm.text', body: 'early two' });
  await new Promise((r) => setTimeout(r, 4));
  const join = await remoteEvent(api, room.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  const input = await api.inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: join.roomVersion.id, origin: REMOTE }] });
  assert.equal(input.results[0]?.accepted, true);
  const late = await send(api, room.roomId, 'm.room.message', { msgtype: 'm.text', body: 'late' });
  return { roomId: room.roomId, early1, early2, robJoin: join.eventId, late };
}


describeRoomserverApi('federation timestamp_to_event', (api, env) => {
  const withApp = (run: (app: ReadApp) => Promise<void>): Promise<void> => withReadApp(SERVER, api(), run);
  const url = (roomId: string, ts: number | string, dir: string) => `/_matrix/federation/v1/timestamp_to_event/${enc(roomId)}?ts=${ts}&dir=${dir}`;

  it('answers a server in the room the closest event in both directions, 404 past the ends', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    const [t1, t2, tJoin, tLate] = await Promise.all([r.early1, r.early2, r.robJoin, r.late].map((id) => tsOf(api(), id)));
    await withApp(async (app) => {
      const found = async (ts: number, dir: string) => {
        const res = await app.get(url(r.roomId, ts, dir), REMOTE);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };
      assert.deepEqual(await found(t2!, 'f'), { event_id: r.early2, origin_server_ts: t2 });
      assert.deepEqual(await found(t2! + 1, 'f'), { event_id: r.robJoin, origin_server_ts: tJoin });
      assert.deepEqual(await found(t2! - 1, 'b'), { event_id: r.early1, origin_server_ts: t1 });
      assert.deepEqual(await found(t2!, 'b'), { event_id: r.early2, origin_server_ts: t2 });
      assert.deepEqual(await found(tLate! + 60_000, 'b'), { event_id: r.late, origin_server_ts: tLate });
      const past = await app.get(url(r.roomId, tLate! + 1, 'f'), REMOTE);
      refused(past, 404, 'M_NOT_FOUND');
      assert.equal(past.body.error, `Unable to find event from ${tLate! + 1} in forward direction`);
      const before = await app.get(url(r.roomId, 0, 'b'), REMOTE);
      refused(before, 404, 'M_NOT_FOUND');
      assert.equal(before.body.error, 'Unable to find event from 0 in backward direction');
    });
  });

  it('refuses an unknown room (404), a server not in the room (403) and malformed ts or dir (400)', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    const t2 = await tsOf(api(), r.early2);
    await withApp(async (app) => {
      refused(await app.get(url('!nowhere:test.local', t2, 'f'), REMOTE), 404, 'M_NOT_FOUND');
      refused(await app.get(url(r.roomId, t2, 'f'), STRANGER), 403, 'M_FORBIDDEN');
      refused(await app.get(url(r.roomId, t2, 'x'), REMOTE), 400, 'M_INVALID_PARAM');
      refused(await app.get(url(r.roomId, -1, 'f'), REMOTE), 400, 'M_INVALID_PARAM');
      refused(await app.get(url(r.roomId, '1.5', 'f'), REMOTE), 400, 'M_INVALID_PARAM');
      refused(await app.get(url(r.roomId, 'soon', 'b'), REMOTE), 400, 'M_INVALID_PARAM');
      refused(await app.get(`/_matrix/federation/v1/timestamp_to_event/${enc(r.roomId)}?ts=${t2}`, REMOTE), 400, 'M_MISSING_PARAM');
      refused(await app.get(`/_matrix/federation/v1/timestamp_to_event/${enc(r.roomId)}?dir=f`, REMOTE), 400, 'M_MISSING_PARAM');
    });
  });

  it('refuses a server the ACL denies, and hides what history visibility hides from it', async () => {
    const shared = await roomWithRob(api(), env().remoteKey, 'shared');
    const joined = await roomWithRob(api(), env().remoteKey, 'joined');
    const [tShared, tJoined, tJoinedLate] = await Promise.all([shared.early2, joined.early2, joined.late].map((id) => tsOf(api(), id)));
    await withApp(async (app) => {
      // `joined`: what came before Rob's join is not for his server; what came after is.
      refused(await app.get(url(joined.roomId, tJoined!, 'b'), REMOTE), 404, 'M_NOT_FOUND');
      assert.equal((await app.get(url(joined.roomId, tJoinedLate!, 'b'), REMOTE)).body.event_id, joined.late);
      assert.equal((await app.get(url(shared.roomId, tShared!, 'b'), REMOTE)).body.event_id, shared.early2);
      await send(api(), shared.roomId, 'm.room.server_acl', { allow: ['*'], deny: [REMOTE], allow_ip_literals: true }, '');
      refused(await app.get(url(shared.roomId, tShared!, 'b'), REMOTE), 403, 'M_FORBIDDEN');
    });
  });
});
