/**
 * The federationapi's `performRemoteTimestampToEvent` against a stand-in network: a second
 * roomserver (`remote.test`) holds a room's whole history and serves it through the real
 * federation read routes (`roomReadApp`, our `timestamp_to_event` among them); the roomserver
 * under test holds the room only from its own user's join, as after a remote join. The event a
 * server names is fetched, checked and placed as history with the state before it, so that
 * history visibility can judge it; servers that are down, lie about the side of `ts`, or serve
 * another event under the ID are skipped; at most three servers are asked, never ourselves.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FederationClient, FederationRequest } from '../../src/federationapi/client/federation-client.js';
import { FederationRequestError } from '../../src/federationapi/client/federation-request-error.js';
import type { FederationInternalContext } from '../../src/federationapi/internal/federation-internal-context.js';
import { performRemoteTimestampToEvent } from '../../src/federationapi/internal/perform-remote-timestamp-to-event.js';
import type { KeyRing } from '../../src/federationapi/keyring/key-ring.js';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import type { RoomserverAPI, StoredRoomEvent } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, LOCAL_KEY, REMOTE, SERVER, uid, type RoomserverEnv } from '../roomserver/roomserver-api-kit.js';
import { startRemoteRoomserver } from '../roomserver/remote-roomserver.js';
import { roomReadApp, type ReadApp } from './room-read-app.js';

const ALICE = uid('alice', REMOTE);
const BOB = uid('bob');

describeRoomserverApi('federationapi performRemoteTimestampToEvent', (api, env) => {
  it('fetches the event a server in the room names and places it as history the reader may see', async () => {
    await withRemoteRoom(api(), env(), async (w) => {
      const [m0, m1, m2] = w.messages;
      const t2 = w.ts.get(m2!)!;
      assert.equal((await api().queryEventByTimestamp({ roomId: w.roomId, ts: t2, dir: 'b' })).event, null, 'the history before the join is not held');
      assert.deepEqual(await w.ask(t2, 'b', [SERVER, REMOTE]), { event: { eventId: m2, originServerTs: t2, server: REMOTE } });
      assert.deepEqual(w.asked, [`${REMOTE} timestamp_to_event`, `${REMOTE} event`, `${REMOTE} state_ids`], 'never ourselves');
      const [stored] = (await api().queryEvents({ eventIds: [m2!] })).events;
      assert.deepEqual([stored?.outlier, stored?.rejected, stored?.event.content], [false, false, { msgtype: 'm.text', body: 'm2' }]);
      const seen = await api().queryEventVisibility({ eventIds: [m2!], userId: BOB });
      assert.deepEqual(seen.events, [{ eventId: m2, visible: true }]);
      // Now held here: the local lookup finds it.
      assert.deepEqual((await api().queryEventByTimestamp({ roomId: w.roomId, ts: t2, dir: 'b' })).event, { eventId: m2, originServerTs: t2 });
      // Forward: the first at or after the time.
      const t0 = w.ts.get(m0!)!;
      assert.deepEqual((await w.ask(t0 + 1, 'f', [REMOTE])).event, { eventId: m1, originServerTs: w.ts.get(m1!), server: REMOTE });
    });
  });

  it('skips servers that fail or answer badly, asks three at most, and finds nothing past the ends', async () => {
    await withRemoteRoom(api(), env(), async (w) => {
      const [, , m2, , m4] = w.messages;
      const t2 = w.ts.get(m2!)!;
      assert.deepEqual((await w.ask(t2, 'b', ['down.test', 'liar.test', 'forger.test', REMOTE])).event, null);
      assert.deepEqual(w.asked, ['down.test timestamp_to_event', 'liar.test timestamp_to_event', 'liar.test event', 'forger.test timestamp_to_event', 'forger.test event']);
      for (const id of [m2!, m4!]) assert.equal((await api().queryEvents({ eventIds: [id] })).events[0]?.outlier ?? true, true, `${id} was not placed`);

      w.asked.length = 0;
      assert.deepEqual((await w.ask(t2, 'b', ['tamper.test', REMOTE, 'never.test'])).event, { eventId: m2, originServerTs: t2, server: REMOTE });
      assert.deepEqual(w.asked.filter((a) => a.startsWith('tamper.test')), ['tamper.test timestamp_to_event', 'tamper.test event', 'tamper.test state_ids']);
      assert.ok(!w.asked.some((a) => a.startsWith('never.test')));

      // Past the end: the remote's 404 is no answer.
      const last = w.ts.get(w.messages.at(-1)!)!;
      assert.deepEqual((await w.ask(last + 60_000, 'f', [REMOTE])).event, null);
      // A room we do not know asks nobody.
      w.asked.length = 0;
      assert.deepEqual(await performRemoteTimestampToEvent(w.ctx, { roomId: `!nowhere:${REMOTE}`, ts: t2, dir: 'b', servers: [REMOTE] }), { event: null });
      assert.deepEqual(w.asked, []);
    });
  });
});

/** What a test gets: the room, its messages (in order) with their times, and the operation over the stand-in network. */
interface World {
  readonly roomId: string;
  readonly messages: readonly string[];
  readonly ts: ReadonlyMap<string, number>;
  readonly ctx: FederationInternalContext;
  /** `<destination> <first path segment after v1>` per request, in order. */
  readonly asked: string[];
  ask(ts: number, dir: 'f' | 'b', servers: readonly string[]): ReturnType<typeof performRemoteTimestampToEvent>;
}

/** A room of remote.test with five messages, then Bob of ours joined; the roomserver under test holds it from Bob's join. */
async function withRemoteRoom(local: RoomserverAPI, env: RoomserverEnv, run: (w: World) => Promise<void>): Promise<void> {
  // It trusts our key: bob's join is signed by us.
  const remote = await startRemoteRoomserver(env, async (server, keyId) => (server === SERVER && keyId === LOCAL_KEY.keyId ? LOCAL_KEY.publicKeyBase64 : undefined));
  const app = roomReadApp(REMOTE, remote.api);
  try {
    const r = remote.api;
    const room = await createRoom(r, '11', ALICE, `!history${Math.random().toString(36).slice(2)}:${REMOTE}`);
    const messages: string[] = [];
    const ts = new Map<string, number>();
    for (let i = 0; i < 5; i++) {
      await new Promise((res) => setTimeout(res, 4));
      const [id] = (await r.performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: `m${i}` } }] })).eventIds;
      messages.push(id!);
      ts.set(id!, (await r.queryEvents({ eventIds: [id!] })).events[0]!.event.origin_server_ts as number);
    }
    await new Promise((res) => setTimeout(res, 4));
    const join = await bobJoins(r, room);
    await seedFrom(local, r, room.roomId, join);
    const asked: string[] = [];
    const client: Pick<FederationClient, 'request'> = { request: async <T>(req: FederationRequest): Promise<T> => (await answer(app, req, asked, messages, ts)) as T };
    const ctx: FederationInternalContext = { serverName: SERVER, signingKey: LOCAL_KEY, keyRing: {} as KeyRing, client, roomserver: local, now: Date.now };
    await run({ roomId: room.roomId, messages, ts, ctx, asked, ask: (t, dir, servers) => performRemoteTimestampToEvent(ctx, { roomId: room.roomId, ts: t, dir, servers }) });
  } finally {
    await app.close();
    await remote.stop();
  }
}

/**
 * The stand-in network: remote.test serves its read routes (asked as us); `down.test` is
 * unreachable; `tamper.test` serves remote.test's events with broken signatures; `liar.test` names m4 whatever the question (after the times asked about backward); `forger.test` names an ID of its own
 * and serves m2 under it. The liar and the forger serve remote.test's events otherwise.
 */
async function answer(app: ReadApp, req: FederationRequest, asked: string[], messages: readonly string[], ts: ReadonlyMap<string, number>): Promise<unknown> {
  const what = /^\/_matrix\/federation\/v1\/([a-z_]+)\//.exec(req.path)?.[1] ?? req.path;
  asked.push(`${req.destination} ${what}`);
  assert.ok(req.timeoutMs !== undefined && req.timeoutMs <= 10_000, 'a short time limit');
  if (req.destination === 'down.test') throw new FederationRequestError({ destination: req.destination, kind: 'network', message: 'connection refused' });
  if (what === 'timestamp_to_event' && req.destination === 'liar.test') return { event_id: messages.at(-1), origin_server_ts: Number(req.query?.ts) };
  if (what === 'timestamp_to_event' && req.destination === 'forger.test') return { event_id: '$forged', origin_server_ts: ts.get(messages[2]!) };
  const path = req.destination === 'forger.test' && what === 'event' ? `/_matrix/federation/v1/event/${encodeURIComponent(messages[2]!)}` : req.path;
  const query = new URLSearchParams(Object.entries(req.query ?? {}).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]]))).toString();
  const res = await app.get(query === '' ? path : `${path}?${query}`, SERVER);
  if (res.status !== 200) throw new FederationRequestError({ destination: req.destination, kind: 'http', status: res.status, errcode: res.body.errcode as string, message: `HTTP ${res.status}` });
  if (req.destination === 'tamper.test' && what === 'event') return { ...res.body, pdus: (res.body.pdus as JsonObject[]).map(badSignatures) };
  return res.body;
}

/** The PDU with every signature replaced (its ID, a hash without signatures, stays the same). */
function badSignatures(pdu: JsonObject): JsonObject {
  const signatures: JsonObject = {};
  for (const [server, sigs] of Object.entries(pdu.signatures as Record<string, Record<string, string>>)) {
    signatures[server] = Object.fromEntries(Object.keys(sigs).map((k) => [k, 'A'.repeat(86)]));
  }
  return { ...pdu, signatures };
}

/** Bob (ours) joins on remote.test, signed by us as our server would; the join's ID. */
async function bobJoins(r: RoomserverAPI, room: Awaited<ReturnType<typeof createRoom>>): Promise<string> {
  const info = await r.queryRoomInfo({ roomId: room.roomId });
  const rv = roomVersion(info.roomVersion!);
  const prevs = await r.queryEvents({ eventIds: info.latestEventIds });
  const join = buildEvent(
    {
      type: 'm.room.member',
      state_key: BOB,
      sender: BOB,
      content: { membership: 'join' },
      room_id: room.roomId,
      prev_events: info.latestEventIds,
      auth_events: [room.createId, room.powerId, room.joinRulesId],
      depth: Math.max(...prevs.events.map((e) => e.event.depth as number)) + 1,
      origin_server_ts: Date.now(),
    },
    rv,
    { serverName: SERVER, key: LOCAL_KEY },
  );
  const { results } = await r.inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: rv.id, origin: SERVER }] });
  assert.equal(results[0]?.accepted, true, JSON.stringify(results[0]?.rejection));
  return join.eventId;
}

/** Gives the roomserver under test the room from `eventId` on, as a remote join would. */
async function seedFrom(local: RoomserverAPI, r: RoomserverAPI, roomId: string, eventId: string): Promise<void> {
  const state = await r.queryStateBeforeEvent({ roomId, eventId });
  const chain = await r.queryAuthChain({ eventIds: state.eventIds });
  const byId = new Map<string, StoredRoomEvent>([...chain.events, ...state.events].map((e) => [e.eventId, e]));
  const outliers = [...byId.values()].sort((a, b) => (a.event.depth as number) - (b.event.depth as number));
  const { results } = await local.inputRoomEvents({ inputs: outliers.map((e) => ({ kind: 'outlier', event: e.event, roomVersion: e.roomVersion, origin: REMOTE })) });
  assert.ok(results.every((x) => x.accepted));
  const [event] = (await r.queryEvents({ eventIds: [eventId] })).events;
  const input = await local.inputRoomEvents({ inputs: [{ kind: 'new', event: event!.event, roomVersion: event!.roomVersion, origin: SERVER, stateEventIdsBefore: state.eventIds }] });
  assert.equal(input.results[0]?.accepted, true, JSON.stringify(input.results[0]?.rejection));
}
