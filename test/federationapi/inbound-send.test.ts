/**
 * `PUT /_matrix/federation/v1/send/{txnId}` over a real roomserver (SQLite and PostgreSQL,
 * in-process and over inthttp), a real federationapi storage and bus, and a real HTTP server
 * standing in for the origin `remote.test`: PDUs accepted, dropped (bad signature), redacted
 * (bad hash), rejected, soft-failed, refused per PDU (unknown room, server ACL); the refusals of
 * the whole transaction (origin mismatch, too many PDUs/EDUs, malformed); replays answered from
 * storage without reprocessing; gaps filled through `/get_missing_events`, through `/state_ids`
 * + `/event`, and missing auth events through `/event_auth`; typing and receipt EDUs on the bus.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildEvent } from '../../src/matrix/build-event.js';
import { computeEventId } from '../../src/matrix/event-id.js';
import { hashSignAndIdentifyEvent } from '../../src/matrix/sign-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, uid } from '../roomserver/roomserver-api-kit.js';
import { startSendApp, txn, type RemoteAnswer, type SendApp } from './inbound-send-app.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);
const rv12 = roomVersion('12');

/** A room of Alice's with Rob of remote.test joined. */
async function roomWithRob(api: RoomserverAPI, key: SigningKey) {
  const room = await createRoom(api, '12', ALICE);
  const join = await remoteEvent(api, room.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  const [res] = (await api.inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: '12', origin: REMOTE }] })).results;
  assert.equal(res?.accepted, true);
  return { ...room, robJoin: join.eventId };
}

/** An event of remote.test after `prev` (a remote event we may not have), with the given auth events. */
function after(prev: RoomEvent, key: SigningKey, f: { type: string; stateKey?: string; content: JsonObject; authEvents: string[] }): RoomEvent {
  return buildEvent(
    {
      type: f.type,
      ...(f.stateKey !== undefined ? { state_key: f.stateKey } : {}),
      sender: ROB,
      content: f.content,
      room_id: prev.roomId,
      prev_events: [prev.eventId],
      auth_events: f.authEvents,
      depth: prev.depth + 1,
      origin_server_ts: Date.now(),
    },
    rv12,
    { serverName: REMOTE, key },
  );
}

const msg = (body: string): JsonObject => ({ msgtype: 'm.text', body });

async function stored(api: RoomserverAPI, eventId: string) {
  return (await api.queryEvents({ eventIds: [eventId] })).events[0];
}

describeRoomserverApi('federation /send', (api, env) => {
  const withApp = async (run: (app: SendApp) => Promise<void>): Promise<void> => {
    const app = await startSendApp(api(), env().backend);
    try {
      await run(app);
    } finally {
      await app.close();
    }
  };

  it('accepts a message: stored in the room, answered {}, the origin heard from', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const ev = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('hello') });
    await withApp(async (app) => {
      const res = await app.send('t1', txn([ev.json]));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { pdus: { [ev.eventId]: {} } });
      const s = await stored(api(), ev.eventId);
      assert.deepEqual([s?.outlier, s?.rejected, (s?.event.content as JsonObject).body], [false, false, 'hello']);
      assert.deepEqual((await api().queryRoomInfo({ roomId: r.roomId })).latestEventIds, [ev.eventId]);
      assert.deepEqual(app.heard, [REMOTE]);
    });
  });

  it('drops a PDU with a bad signature, redacts one with a bad hash, rejects one failing auth', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    // Same key ID, another key: the signature does not verify.
    const forged = await remoteEvent(api(), r.roomId, generateSigningKey(env().remoteKey.keyId.slice('ed25519:'.length)), { type: 'm.room.message', sender: ROB, content: msg('forged') });
    const good = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('original') });
    // The content changed after signing: same ID and valid signature (both cover the redacted form), wrong hash.
    const altered = { ...good.json, content: msg('altered') };
    const grab = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.power_levels', stateKey: '', sender: ROB, content: { users: { [ROB]: 100 } } });
    await withApp(async (app) => {
      const res = await app.send('t2', txn([forged.json, altered, grab.json]));
      assert.equal(res.status, 200);
      const pdus = res.body.pdus as Record<string, { error?: string }>;
      assert.deepEqual(Object.keys(pdus).sort(), [forged.eventId, good.eventId, grab.eventId].sort());
      assert.match(pdus[forged.eventId]!.error!, /^signatures\/invalid: /);
      assert.equal(await stored(api(), forged.eventId), undefined);
      assert.deepEqual(pdus[good.eventId], {});
      assert.deepEqual((await stored(api(), good.eventId))?.event.content, {});
      assert.ok(pdus[grab.eventId]!.error, 'the power grab is refused');
      assert.doesNotMatch(pdus[grab.eventId]!.error!, /missing/);
      assert.equal((await stored(api(), grab.eventId))?.rejected, true);
      const pl = await api().queryState({ roomId: r.roomId, stateTuples: [['m.room.power_levels', '']] });
      assert.equal(pl.events[0]?.eventId, r.powerId);
    });
  });

  it('refuses an oversize PDU and malformed ones per PDU, leaving the room state as it was', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const stateBefore = (await api().queryState({ roomId: r.roomId })).events.map((e) => e.eventId).sort();
    const small = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.topic', stateKey: '', sender: ROB, content: { topic: 'small' } });
    // Built by hand: our own builder refuses to make an event over 64 KiB.
    const unsignedHuge: JsonObject = { ...small.json, content: { topic: 'x'.repeat(70_000) } };
    delete unsignedHuge.hashes;
    delete unsignedHuge.signatures;
    const { signed: hugeJson, eventId: hugeId } = hashSignAndIdentifyEvent(unsignedHuge, small.roomVersion, REMOTE, env().remoteKey);
    const huge = { json: hugeJson, eventId: hugeId ?? computeEventId(hugeJson, small.roomVersion) };
    const noType: JsonObject = { ...small.json };
    delete noType.type;
    const wrongRoom: JsonObject = { ...small.json, room_id: 42 };
    await withApp(async (app) => {
      const res = await app.send('t-malformed', txn([huge.json, noType, wrongRoom]));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const pdus = res.body.pdus as Record<string, { error?: string }>;
      assert.equal(pdus[huge.eventId]?.error, 'format: Event is larger than 65536 bytes');
      assert.equal(pdus[computeEventId(noType, small.roomVersion)]?.error, 'format: Event field "type" must be a string');
      // A PDU without a usable room ID cannot be placed in any room's answer: it is left out (as Synapse does).
      assert.equal(Object.keys(pdus).length, 2);
      assert.equal(await stored(api(), huge.eventId), undefined);
      const stateAfter = (await api().queryState({ roomId: r.roomId })).events.map((e) => e.eventId).sort();
      assert.deepEqual(stateAfter, stateBefore);
    });
  });

  it('soft-fails a message of a banned user sent from before the ban: answered {}, stored, not a forward extremity', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const evading = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('evading') });
    const { eventId: ban } = await api().performMembership({ action: 'ban', roomId: r.roomId, sender: ALICE, target: ROB });
    await withApp(async (app) => {
      const res = await app.send('t3', txn([evading.json]));
      assert.deepEqual(res.body, { pdus: { [evading.eventId]: {} } });
      const s = await stored(api(), evading.eventId);
      assert.deepEqual([s?.outlier, s?.rejected], [false, false]);
      assert.deepEqual((await api().queryRoomInfo({ roomId: r.roomId })).latestEventIds, [ban]);
    });
  });

  it('refuses PDUs of an unknown room and of a room whose ACL denies the origin, per PDU; typing from a denied origin is dropped', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const rv11 = roomVersion('11');
    const nowhere = buildEvent(
      { type: 'm.room.message', sender: ROB, content: msg('?'), room_id: '!nowhere:remote.test', prev_events: [r.joinId], auth_events: [r.createId], depth: 5, origin_server_ts: 1 },
      rv11,
      { serverName: REMOTE, key: env().remoteKey },
    );
    const ev = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('denied') });
    const { eventIds } = await api().performSendEvents({ events: [{ roomId: r.roomId, type: 'm.room.server_acl', stateKey: '', sender: ALICE, content: { allow: ['*'], deny: [REMOTE] } }] });
    await withApp(async (app) => {
      const typing = { edu_type: 'm.typing', content: { room_id: r.roomId, user_id: ROB, typing: true } };
      const res = await app.send('t4', txn([nowhere.json, ev.json], [typing]));
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        pdus: {
          [nowhere.eventId]: { error: 'room: Unknown room !nowhere:remote.test' },
          [ev.eventId]: { error: `server_acl: Server ${REMOTE} is denied by the server ACL of room ${r.roomId}` },
        },
      });
      assert.equal(await stored(api(), ev.eventId), undefined);
      assert.deepEqual((await api().queryRoomInfo({ roomId: r.roomId })).latestEventIds, eventIds);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(app.typing, []);
    });
  });

  it('refuses the whole transaction: origin mismatch 403, too many PDUs or EDUs 400, malformed 400', async () => {
    await withApp(async (app) => {
      const other = await app.send('t5', txn([], [], 'other.test'));
      assert.deepEqual([other.status, other.body.errcode], [403, 'M_FORBIDDEN']);
      const pdus = Array.from({ length: 51 }, (_, i) => ({ room_id: '!r:remote.test', i }));
      const many = await app.send('t6', txn(pdus));
      assert.deepEqual([many.status, many.body.errcode], [400, 'M_BAD_JSON']);
      const edus = Array.from({ length: 101 }, () => ({ edu_type: 'm.typing', content: {} }));
      const manyEdus = await app.send('t7', txn([], edus));
      assert.deepEqual([manyEdus.status, manyEdus.body.errcode], [400, 'M_BAD_JSON']);
      const bad = await app.send('t8', { origin: REMOTE, origin_server_ts: 1, pdus: 'nope' });
      assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_BAD_JSON']);
      // 50 PDUs (of an unknown room) is within the limit.
      const fifty = await app.send('t9', txn(pdus.slice(0, 50)));
      assert.equal(fifty.status, 200);
      assert.equal(app.inputCalls(), 0);
      // Every authenticated request counts as hearing from the server (the malformed one never reached the handler).
      assert.deepEqual(app.heard, [REMOTE, REMOTE, REMOTE, REMOTE]);
    });
  });

  it('answers a replayed transaction from storage without processing it again, also when sent concurrently', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const first = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('first') });
    const second = await remoteEvent(api(), r.roomId, env().remoteKey, { type: 'm.room.message', sender: ROB, content: msg('second') });
    await withApp(async (app) => {
      const [a, b] = await Promise.all([app.send('same', txn([first.json])), app.send('same', txn([first.json]))]);
      assert.deepEqual(a.body, { pdus: { [first.eventId]: {} } });
      assert.deepEqual(b.body, a.body);
      assert.equal(app.inputCalls(), 1);
      // The same transaction ID with other content: the stored answer, nothing processed.
      const replay = await app.send('same', txn([second.json]));
      assert.deepEqual(replay.body, a.body);
      assert.equal(app.inputCalls(), 1);
      assert.equal(await stored(api(), second.eventId), undefined);
      // Another transaction ID is processed; the same ID from another origin is another transaction.
      assert.deepEqual((await app.send('next', txn([second.json]))).body, { pdus: { [second.eventId]: {} } });
      assert.equal(app.inputCalls(), 2);
    });
  });

  it('fills a gap through /get_missing_events: the missing events are input oldest first, then the event', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const key = env().remoteKey;
    const e1 = await remoteEvent(api(), r.roomId, key, { type: 'm.room.message', sender: ROB, content: msg('one') });
    const e2 = after(e1, key, { type: 'm.room.message', content: msg('two'), authEvents: e1.authEvents as string[] });
    const e3 = after(e2, key, { type: 'm.room.message', content: msg('three'), authEvents: e1.authEvents as string[] });
    await withApp(async (app) => {
      app.serve((req, url) => (req.method === 'POST' && url.pathname === `/_matrix/federation/v1/get_missing_events/${encodeURIComponent(r.roomId)}` ? { status: 200, body: { events: [e2.json, e1.json] } } : undefined));
      const res = await app.send('gap', txn([e3.json]));
      assert.deepEqual(res.body, { pdus: { [e3.eventId]: {} } });
      assert.equal(app.remoteRequests.length, 1);
      const asked = app.remoteRequests[0]!.body as JsonObject;
      const joinDepth = (await stored(api(), r.robJoin))!.event.depth;
      assert.deepEqual(asked, { earliest_events: [r.robJoin], latest_events: [e3.eventId], limit: 10, min_depth: joinDepth });
      for (const e of [e1, e2, e3]) assert.deepEqual([(await stored(api(), e.eventId))?.outlier, (await stored(api(), e.eventId))?.rejected], [false, false]);
      assert.deepEqual((await api().queryRoomInfo({ roomId: r.roomId })).latestEventIds, [e3.eventId]);
    });
  });

  it('fills a gap through /state_ids and /event when /get_missing_events does not: the state after the prev event', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const key = env().remoteKey;
    // E1 changes Rob's member event; E2 follows it; we are sent E3 only.
    const e1 = await remoteEvent(api(), r.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join', displayname: 'Rob Two' } });
    const e2 = after(e1, key, { type: 'm.room.message', content: msg('two'), authEvents: [r.powerId, e1.eventId] });
    const e3 = after(e2, key, { type: 'm.room.message', content: msg('three'), authEvents: [r.powerId, e1.eventId] });
    const stateBeforeE2 = [r.createId, r.joinId, r.powerId, r.joinRulesId, e1.eventId];
    const chain = [r.createId, r.joinId, r.powerId, r.joinRulesId, r.robJoin];
    const enc = encodeURIComponent;
    await withApp(async (app) => {
      app.serve((_req, url): RemoteAnswer | undefined => {
        if (url.pathname === `/_matrix/federation/v1/get_missing_events/${enc(r.roomId)}`) return { status: 200, body: { events: [] } };
        if (url.pathname === `/_matrix/federation/v1/state_ids/${enc(r.roomId)}` && url.searchParams.get('event_id') === e2.eventId) {
          return { status: 200, body: { pdu_ids: stateBeforeE2, auth_chain_ids: chain } };
        }
        const served = [e1, e2].find((e) => url.pathname === `/_matrix/federation/v1/event/${enc(e.eventId)}`);
        return served ? { status: 200, body: { origin: REMOTE, origin_server_ts: 1, pdus: [served.json] } } : undefined;
      });
      const res = await app.send('state', txn([e3.json]));
      assert.deepEqual(res.body, { pdus: { [e3.eventId]: {} } });
      assert.deepEqual(
        app.remoteRequests.map((q) => q.url.split('?')[0]).sort(),
        [
          `/_matrix/federation/v1/event/${enc(e1.eventId)}`,
          `/_matrix/federation/v1/event/${enc(e2.eventId)}`,
          `/_matrix/federation/v1/get_missing_events/${enc(r.roomId)}`,
          `/_matrix/federation/v1/state_ids/${enc(r.roomId)}`,
        ].sort(),
      );
      assert.deepEqual([(await stored(api(), e1.eventId))?.outlier, (await stored(api(), e2.eventId))?.outlier], [true, true]);
      assert.deepEqual([(await stored(api(), e3.eventId))?.outlier, (await stored(api(), e3.eventId))?.rejected], [false, false]);
      // The state at E3 has Rob's member event from E1, which we only know from the origin's state.
      const member = await api().queryState({ roomId: r.roomId, atEventId: e3.eventId, stateTuples: [['m.room.member', ROB]] });
      assert.equal(member.events[0]?.eventId, e1.eventId);
    });
  });

  it('reports an event it cannot place when the origin serves nothing, without failing the transaction', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const key = env().remoteKey;
    const e1 = await remoteEvent(api(), r.roomId, key, { type: 'm.room.message', sender: ROB, content: msg('one') });
    const e2 = after(e1, key, { type: 'm.room.message', content: msg('two'), authEvents: e1.authEvents as string[] });
    await withApp(async (app) => {
      const res = await app.send('hole', txn([e2.json]));
      const error = (res.body.pdus as Record<string, { error?: string }>)[e2.eventId]?.error;
      assert.match(error ?? '', /^prev_events\/missing: /);
      assert.equal(await stored(api(), e2.eventId), undefined);
    });
  });

  it('fetches missing auth events through /event_auth and inputs them as outliers first', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const key = env().remoteKey;
    const e1 = await remoteEvent(api(), r.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join', displayname: 'Rob Two' } });
    // Built on our latest event, authorised by E1, which we never got.
    const x = await remoteEvent(api(), r.roomId, key, { type: 'm.room.message', sender: ROB, content: msg('x'), authEvents: [r.powerId, e1.eventId] });
    await withApp(async (app) => {
      app.serve((_req, url) =>
        url.pathname === `/_matrix/federation/v1/event_auth/${encodeURIComponent(r.roomId)}/${encodeURIComponent(x.eventId)}` ? { status: 200, body: { auth_chain: [e1.json] } } : undefined,
      );
      const res = await app.send('auth', txn([x.json]));
      assert.deepEqual(res.body, { pdus: { [x.eventId]: {} } });
      assert.equal((await stored(api(), e1.eventId))?.outlier, true);
      assert.equal((await stored(api(), x.eventId))?.outlier, false);
    });
  });

  it('publishes typing and read receipts of joined users of the origin; drops those of other servers and non-members', async () => {
    const r = await roomWithRob(api(), env().remoteKey);
    const zed = uid('zed', REMOTE);
    const eve = uid('eve', 'other.test');
    const typing = (userId: string, on: boolean) => ({ edu_type: 'm.typing', content: { room_id: r.roomId, user_id: userId, typing: on } });
    const receipt: JsonObject = {
      edu_type: 'm.receipt',
      content: {
        [r.roomId]: {
          'm.read': {
            [ROB]: { event_ids: [r.robJoin], data: { ts: 1234, thread_id: 'main' } },
            [eve]: { event_ids: [r.robJoin], data: { ts: 1 } },
            [zed]: { event_ids: [r.robJoin], data: { ts: 1 } },
          },
        },
      },
    };
    await withApp(async (app) => {
      const before = Date.now();
      const edus: JsonObject[] = [typing(ROB, true), typing(eve, true), typing(zed, true), { edu_type: 'm.presence', content: { push: [] } }, { edu_type: 'x.unknown' }, receipt, typing(ROB, false)];
      const res = await app.send('edus', txn([], edus));
      assert.deepEqual(res.body, { pdus: {} });
      await app.waitFor('two typing messages', () => app.typing.length >= 2);
      await app.waitFor('a receipt', () => app.receipts.length >= 1);
      assert.deepEqual(
        app.typing.map(({ ts, ...rest }) => (assert.ok(ts >= before), rest)),
        [
          { type: 'typing', roomId: r.roomId, userId: ROB, typing: true, timeoutMs: 30_000 },
          { type: 'typing', roomId: r.roomId, userId: ROB, typing: false, timeoutMs: 0 },
        ],
      );
      assert.deepEqual(app.receipts, [{ type: 'receipt', roomId: r.roomId, userId: ROB, eventId: r.robJoin, receiptType: 'm.read', threadId: 'main', ts: 1234 }]);
    });
  });
});
