/**
 * The federation read routes (`/event`, `/state`, `/state_ids`, `/event_auth`, `/backfill`,
 * `/get_missing_events`) over a real roomserver (SQLite and PostgreSQL, in-process and over
 * inthttp): what a server in the room gets, in which order and up to which limit; events it may
 * not see by history visibility coming back redacted; and the refusals — an unknown room or
 * event (404), a server with nobody in the room or denied by the server ACL (403).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import type { InputRoomEvent, RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid } from '../roomserver/roomserver-api-kit.js';
import { READ_TEST_NOW, refused, withReadApp, type ReadApp } from './room-read-app.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);
const STRANGER = 'stranger.test';

const input = (ev: RoomEvent): InputRoomEvent => ({ kind: 'new', event: ev.json, roomVersion: ev.roomVersion.id, origin: REMOTE });
const enc = encodeURIComponent;

async function send(api: RoomserverAPI, roomId: string, type: string, content: JsonObject, stateKey?: string): Promise<string> {
  const { eventIds } = await api.performSendEvents({ events: [{ roomId, type, sender: ALICE, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
  return eventIds[0]!;
}
const msg = (api: RoomserverAPI, roomId: string, body: string) => send(api, roomId, 'm.room.message', { msgtype: 'm.text', body });

/** The stored PDU of an event. */
async function pdu(api: RoomserverAPI, eventId: string): Promise<JsonObject> {
  const { events } = await api.queryEvents({ eventIds: [eventId] });
  assert.ok(events[0], `${eventId} is stored`);
  return events[0].event;
}

/** A room (history `visibility`) with two messages, then Rob of remote.test joined, then one more. */
async function roomWithRob(api: RoomserverAPI, key: Parameters<typeof remoteEvent>[2], visibility: string) {
  const room = await createRoom(api, '12', ALICE);
  const history = await send(api, room.roomId, 'm.room.history_visibility', { history_visibility: visibility }, '');
  const early1 = await msg(api, room.roomId, 'early one');
  const early2 = await msg(api, room.roomId, 'early two');
  const join = await remoteEvent(api, room.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  assert.equal((await api.inputRoomEvents({ inputs: [input(join)] })).results[0]?.accepted, true);
  const late = await msg(api, room.roomId, 'late');
  return { ...room, history, early1, early2, robJoin: join.eventId, late };
}


describeRoomserverApi('federation read routes', (api, env) => {
  const withApp = (run: (app: ReadApp) => Promise<void>): Promise<void> => withReadApp(SERVER, api(), run);

  it('/event: the stored PDU in a transaction; redacted when the asker may not see it', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'joined');
    await withApp(async (app) => {
      const late = await app.get(`/_matrix/federation/v1/event/${enc(r.late)}`, REMOTE);
      assert.equal(late.status, 200);
      assert.deepEqual(late.body, { origin: SERVER, origin_server_ts: READ_TEST_NOW, pdus: [await pdu(api(), r.late)] });
      // Before Rob joined a `joined` room: redacted, hashes and signatures intact.
      const early = await app.get(`/_matrix/federation/v1/event/${enc(r.early1)}`, REMOTE);
      assert.equal(early.status, 200);
      const full = await pdu(api(), r.early1);
      const [served] = early.body.pdus as JsonObject[];
      assert.deepEqual(served!.content, {});
      assert.deepEqual([served!.hashes, served!.signatures, served!.prev_events, served!.depth], [full.hashes, full.signatures, full.prev_events, full.depth]);
      refused(await app.get(`/_matrix/federation/v1/event/${enc('$unknown')}`, REMOTE), 404, 'M_NOT_FOUND');
      refused(await app.get(`/_matrix/federation/v1/event/${enc(r.late)}`, STRANGER), 403, 'M_FORBIDDEN');
    });
  });

  it('/event: a shared room shows Rob the history from before his join', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    await withApp(async (app) => {
      const early = await app.get(`/_matrix/federation/v1/event/${enc(r.early1)}`, REMOTE);
      assert.deepEqual(early.body.pdus, [await pdu(api(), r.early1)]);
    });
  });

  it('/state_ids and /state: the state before the event and its auth chain', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    await withApp(async (app) => {
      // At Rob's join: the state before it, without the join itself.
      const ids = await app.get(`/_matrix/federation/v1/state_ids/${enc(r.roomId)}?event_id=${enc(r.robJoin)}`, REMOTE);
      assert.equal(ids.status, 200);
      const stateIds = [r.createId, r.joinId, r.powerId, r.joinRulesId, r.history].sort();
      assert.deepEqual([...(ids.body.pdu_ids as string[])].sort(), stateIds);
      assert.deepEqual(new Set(ids.body.auth_chain_ids as string[]), new Set([r.createId, r.joinId, r.powerId]));
      const full = await app.get(`/_matrix/federation/v1/state/${enc(r.roomId)}?event_id=${enc(r.robJoin)}`, REMOTE);
      assert.equal(full.status, 200);
      const pdus = full.body.pdus as JsonObject[];
      assert.deepEqual(pdus, await Promise.all((ids.body.pdu_ids as string[]).map((id) => pdu(api(), id))));
      assert.deepEqual(full.body.auth_chain, await Promise.all((ids.body.auth_chain_ids as string[]).map((id) => pdu(api(), id))));
      // After the join, it is part of the state.
      const later = await app.get(`/_matrix/federation/v1/state_ids/${enc(r.roomId)}?event_id=${enc(r.late)}`, REMOTE);
      assert.deepEqual([...(later.body.pdu_ids as string[])].sort(), [...stateIds, r.robJoin].sort());
      refused(await app.get(`/_matrix/federation/v1/state_ids/${enc(r.roomId)}?event_id=${enc('$unknown')}`, REMOTE), 404, 'M_NOT_FOUND');
      refused(await app.get(`/_matrix/federation/v1/state/${enc('!nowhere:test.local')}?event_id=${enc(r.late)}`, REMOTE), 404, 'M_NOT_FOUND');
      refused(await app.get(`/_matrix/federation/v1/state_ids/${enc(r.roomId)}?event_id=${enc(r.late)}`, STRANGER), 403, 'M_FORBIDDEN');
      assert.equal((await app.get(`/_matrix/federation/v1/state_ids/${enc(r.roomId)}`, REMOTE)).status, 400);
    });
  });

  it('/event_auth: the auth chain of the event, create event included', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    await withApp(async (app) => {
      const res = await app.get(`/_matrix/federation/v1/event_auth/${enc(r.roomId)}/${enc(r.late)}`, REMOTE);
      assert.equal(res.status, 200);
      const chain = res.body.auth_chain as JsonObject[];
      const expected = [r.createId, r.joinId, r.powerId];
      assert.equal(chain.length, expected.length);
      assert.deepEqual(new Set(chain.map((p) => JSON.stringify(p))), new Set(await Promise.all(expected.map(async (id) => JSON.stringify(await pdu(api(), id))))));
      refused(await app.get(`/_matrix/federation/v1/event_auth/${enc(r.roomId)}/${enc('$unknown')}`, REMOTE), 404, 'M_NOT_FOUND');
      const other = await createRoom(api(), '12', ALICE);
      refused(await app.get(`/_matrix/federation/v1/event_auth/${enc(other.roomId)}/${enc(r.late)}`, REMOTE), 403, 'M_FORBIDDEN');
    });
  });

  it('/backfill: deepest first from the given events, up to the limit; hidden history redacted', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'joined');
    await withApp(async (app) => {
      const res = await app.get(`/_matrix/federation/v1/backfill/${enc(r.roomId)}?v=${enc(r.late)}&limit=4`, REMOTE);
      assert.equal(res.status, 200);
      assert.equal(res.body.origin, SERVER);
      assert.equal(res.body.origin_server_ts, READ_TEST_NOW);
      const pdus = res.body.pdus as JsonObject[];
      assert.deepEqual(pdus.map((p) => p.depth), [...pdus.map((p) => p.depth as number)].sort((a, b) => b - a));
      assert.deepEqual(pdus[0], await pdu(api(), r.late));
      assert.deepEqual(pdus[1], await pdu(api(), r.robJoin));
      // The two messages from before Rob's join, redacted.
      assert.deepEqual(pdus.slice(2).map((p) => [p.type, p.content]), [['m.room.message', {}], ['m.room.message', {}]]);
      // Everything: 9 events, ending at the create event (whole: state events keep their content).
      const all = await app.get(`/_matrix/federation/v1/backfill/${enc(r.roomId)}?v=${enc(r.late)}&limit=1000`, REMOTE);
      const allPdus = all.body.pdus as JsonObject[];
      assert.equal(allPdus.length, 9);
      assert.deepEqual(allPdus.at(-1)!.type, 'm.room.create');
      refused(await app.get(`/_matrix/federation/v1/backfill/${enc(r.roomId)}?v=${enc(r.late)}&limit=4`, STRANGER), 403, 'M_FORBIDDEN');
      assert.equal((await app.get(`/_matrix/federation/v1/backfill/${enc(r.roomId)}?limit=4`, REMOTE)).status, 400);
      assert.equal((await app.get(`/_matrix/federation/v1/backfill/${enc(r.roomId)}?v=${enc(r.late)}`, REMOTE)).status, 400);
    });
  });

  it('/get_missing_events: between the earliest and the latest events, oldest first, default limit 10', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    const more: string[] = [];
    for (let i = 0; i < 12; i++) more.push(await msg(api(), r.roomId, `m${i}`));
    await withApp(async (app) => {
      const url = `/_matrix/federation/v1/get_missing_events/${enc(r.roomId)}`;
      const between = await app.post(url, { earliest_events: [r.early2], latest_events: [r.late] }, REMOTE);
      assert.equal(between.status, 200);
      assert.deepEqual(between.body, { events: [await pdu(api(), r.robJoin)] });
      // Default limit 10: the ten nearest the latest event, oldest first.
      const recent = await app.post(url, { earliest_events: [], latest_events: [more.at(-1)] }, REMOTE);
      assert.deepEqual(recent.body.events, await Promise.all(more.slice(1, 11).map((id) => pdu(api(), id))));
      const two = await app.post(url, { earliest_events: [], latest_events: [more.at(-1)], limit: 2 }, REMOTE);
      assert.deepEqual(two.body.events, await Promise.all(more.slice(9, 11).map((id) => pdu(api(), id))));
      // Capped at 20.
      const capped = await app.post(url, { earliest_events: [], latest_events: [more.at(-1)], limit: 500 }, REMOTE);
      assert.equal((capped.body.events as unknown[]).length, 20);
      refused(await app.post(url, { earliest_events: [], latest_events: [r.late] }, STRANGER), 403, 'M_FORBIDDEN');
      assert.equal((await app.post(url, { latest_events: [r.late] }, REMOTE)).status, 400);
    });
  });

  it('the server ACL: a denied server is refused everywhere, even with a user in the room', async () => {
    const r = await roomWithRob(api(), env().remoteKey, 'shared');
    await send(api(), r.roomId, 'm.room.server_acl', { allow: ['*'], deny: [REMOTE] }, '');
    await withApp(async (app) => {
      const q = `event_id=${enc(r.late)}`;
      for (const url of [
        `/_matrix/federation/v1/event/${enc(r.late)}`,
        `/_matrix/federation/v1/state/${enc(r.roomId)}?${q}`,
        `/_matrix/federation/v1/state_ids/${enc(r.roomId)}?${q}`,
        `/_matrix/federation/v1/event_auth/${enc(r.roomId)}/${enc(r.late)}`,
        `/_matrix/federation/v1/backfill/${enc(r.roomId)}?v=${enc(r.late)}&limit=5`,
      ]) {
        refused(await app.get(url, REMOTE), 403, 'M_FORBIDDEN');
      }
      refused(await app.post(`/_matrix/federation/v1/get_missing_events/${enc(r.roomId)}`, { earliest_events: [], latest_events: [r.late] }, REMOTE), 403, 'M_FORBIDDEN');
    });
  });
});
