/**
 * The roomserver API, incoming events: a remote server's signed events, bad signatures, altered
 * content (redacted, then checked), auth failures (rejected with the rule, stored), soft-failed
 * events, outliers, and redactions arriving from federation.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import type { InputRoomEvent, RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob', REMOTE);

const input = (ev: RoomEvent, kind: InputRoomEvent['kind'] = 'new', json: JsonObject = ev.json): InputRoomEvent => ({
  kind,
  event: json,
  roomVersion: ev.roomVersion.id,
  origin: REMOTE,
});

async function joinBob(api: RoomserverAPI, roomId: string, key: Parameters<typeof remoteEvent>[2]): Promise<RoomEvent> {
  const join = await remoteEvent(api, roomId, key, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
  const { results } = await api.inputRoomEvents({ inputs: [input(join)] });
  assert.deepEqual(results, [{ eventId: join.eventId, accepted: true, softFailed: false, rejection: null }]);
  return join;
}

describeRoomserverApi('roomserver API: input', (api, env) => {
  for (const version of ['11', '12'] as const) {
    it(`accepts a remote server's signed join and message (v${version})`, async () => {
      const room = await createRoom(api(), version, ALICE, version === '11' ? `!remote:${SERVER}` : '');
      const join = await joinBob(api(), room.roomId, env().remoteKey);
      const msg = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.message', sender: BOB, content: { body: 'hi from afar' } });
      assert.deepEqual((await api().inputRoomEvents({ inputs: [input(msg)] })).results[0]?.accepted, true);
      assert.deepEqual(await api().queryMembership({ roomId: room.roomId, userId: BOB }), { membership: 'join', eventId: join.eventId });
      assert.deepEqual(await api().queryJoinedServers({ roomId: room.roomId }), { serverNames: [REMOTE, SERVER].sort() });
      assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [msg.eventId]);
      await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === msg.eventId));
      // Repeating an input changes nothing and reports the same outcome.
      assert.deepEqual((await api().inputRoomEvents({ inputs: [input(msg)] })).results, [{ eventId: msg.eventId, accepted: true, softFailed: false, rejection: null }]);
      // A local send follows the remote event.
      const [local] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { body: 'welcome' } }] })).eventIds;
      assert.deepEqual((await api().queryEvents({ eventIds: [local!] })).events[0]?.event.prev_events, [msg.eventId]);
    });
  }

  it('drops events with a bad signature or from an unknown key, without storing them', async () => {
    const room = await createRoom(api(), '11', ALICE, `!badsig:${SERVER}`);
    const forged = await remoteEvent(api(), room.roomId, { ...generateSigningKey('remote') }, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    const unknownKey = await remoteEvent(api(), room.roomId, generateSigningKey('other'), { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    const { results } = await api().inputRoomEvents({ inputs: [input(forged), input(unknownKey)] });
    assert.equal(results[0]?.rejection?.rule, 'signatures/invalid');
    assert.equal(results[1]?.rejection?.rule, 'signatures/missing');
    assert.equal(results[0]?.accepted, false);
    assert.deepEqual((await api().queryEvents({ eventIds: [forged.eventId, unknownKey.eventId] })).events, []);
  });

  it('redacts an event whose content hash does not match, then checks it', async () => {
    const room = await createRoom(api(), '11', ALICE, `!hash:${SERVER}`);
    await joinBob(api(), room.roomId, env().remoteKey);
    const msg = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.message', sender: BOB, content: { body: 'original' } });
    const altered: JsonObject = { ...msg.json, content: { body: 'altered on the way' } };
    const { results } = await api().inputRoomEvents({ inputs: [input(msg, 'new', altered)] });
    assert.deepEqual(results, [{ eventId: msg.eventId, accepted: true, softFailed: false, rejection: null }]);
    const [stored] = (await api().queryEvents({ eventIds: [msg.eventId] })).events;
    assert.deepEqual(stored?.event.content, {});
  });

  it('rejects an event failing auth, stores it as rejected, and reports the rule', async () => {
    const room = await createRoom(api(), '11', ALICE, `!reject:${SERVER}`);
    const msg = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.message', sender: BOB, content: { body: 'not joined' } });
    const { results } = await api().inputRoomEvents({ inputs: [input(msg)] });
    assert.equal(results[0]?.accepted, false);
    assert.equal(results[0]?.rejection?.rule, 'sender_not_joined');
    const [stored] = (await api().queryEvents({ eventIds: [msg.eventId] })).events;
    assert.equal(stored?.rejected, true);
    assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [room.joinRulesId]);
    // Asked again, the stored verdict comes back without a new check.
    assert.deepEqual((await api().inputRoomEvents({ inputs: [input(msg)] })).results, results);
    // An event citing auth events it may not cite fails rule 2, and is stored rejected too.
    const join = await joinBob(api(), room.roomId, env().remoteKey);
    const wrongAuth = await remoteEvent(api(), room.roomId, env().remoteKey, {
      type: 'm.room.message',
      sender: BOB,
      content: { body: 'odd auth' },
      authEvents: [room.createId, room.powerId, join.eventId, room.joinRulesId],
    });
    const second = await api().inputRoomEvents({ inputs: [input(wrongAuth)] });
    assert.equal(second.results[0]?.rejection?.rule, 'auth_events/unexpected');
    assert.equal((await api().queryEvents({ eventIds: [wrongAuth.eventId] })).events[0]?.rejected, true);
  });

  it('soft-fails an event allowed by the state before it but not by the current state', async () => {
    const room = await createRoom(api(), '11', ALICE, `!soft:${SERVER}`);
    const join = await joinBob(api(), room.roomId, env().remoteKey);
    const [ban] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'ban' } }] })).eventIds;
    // Bob's server had not seen the ban: its event follows the join and cites it.
    const late = await remoteEvent(api(), room.roomId, env().remoteKey, {
      type: 'm.room.message',
      sender: BOB,
      content: { body: 'sent before I saw the ban' },
      prevEvents: [join.eventId],
      authEvents: [room.createId, room.powerId, join.eventId],
    });
    const { results } = await api().inputRoomEvents({ inputs: [input(late)] });
    assert.deepEqual(results.map((r) => [r.accepted, r.softFailed, r.rejection]), [[true, true, null]]);
    assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [ban]);
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === ban));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(env().published.some((m) => m.type === 'new_room_event' && m.eventId === results[0]?.eventId), false);
  });

  it('stores outliers checked against their own auth events only', async () => {
    const room = await createRoom(api(), '11', ALICE, `!outlier:${SERVER}`);
    const join = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    const { results } = await api().inputRoomEvents({ inputs: [input(join, 'outlier')] });
    assert.deepEqual(results, [{ eventId: join.eventId, accepted: true, softFailed: false, rejection: null }]);
    const [stored] = (await api().queryEvents({ eventIds: [join.eventId] })).events;
    assert.equal(stored?.outlier, true);
    assert.deepEqual(await api().queryMembership({ roomId: room.roomId, userId: BOB }), { membership: null, eventId: null });
    assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [room.joinRulesId]);
  });

  it('stores a long run of outliers as one batch: later ones may cite earlier ones, rejected ones keep their reason', async () => {
    const room = await createRoom(api(), '11', ALICE, `!outlierbatch:${SERVER}`);
    const members = Array.from({ length: 12 }, (_, i) => uid(`m${i}`, REMOTE));
    const joins: RoomEvent[] = [];
    for (const m of members) joins.push(await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.member', stateKey: m, sender: m, content: { membership: 'join' } }));
    // Cites the first join, which is in this batch and not stored before it.
    const said = await remoteEvent(api(), room.roomId, env().remoteKey, {
      type: 'm.room.message',
      sender: members[0]!,
      content: { body: 'in the batch' },
      authEvents: [room.createId, room.powerId, joins[0]!.eventId],
    });
    // Not joined per its own auth events: rejected.
    const grab = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.topic', stateKey: '', sender: BOB, content: { topic: 'mine now' }, authEvents: [room.createId, room.powerId] });
    const inputs = [...joins, said, grab].map((e) => input(e, 'outlier'));
    const { results } = await api().inputRoomEvents({ inputs });
    assert.deepEqual(results.slice(0, 13).map((r) => [r.eventId, r.accepted, r.rejection]), [...joins, said].map((e) => [e.eventId, true, null]));
    assert.equal(results[13]?.eventId, grab.eventId);
    assert.equal(results[13]?.accepted, false);
    assert.equal(results[13]?.rejection?.rule, 'sender_not_joined');
    const stored = (await api().queryEvents({ eventIds: [...joins, said, grab].map((e) => e.eventId) })).events;
    assert.equal(stored.length, 14);
    assert.ok(stored.every((e) => e.outlier));
    assert.deepEqual(stored.filter((e) => e.rejected).map((e) => e.event.type), ['m.room.topic']);
    // Outliers leave the room alone; a repeat reports the stored verdicts, the rejection's rule included.
    assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [room.joinRulesId]);
    const again = await api().inputRoomEvents({ inputs });
    assert.deepEqual(again.results.map((r) => [r.accepted, r.rejection?.rule ?? null]), results.map((r) => [r.accepted, r.rejection?.rule ?? null]));
  });

  it('applies a remote redaction only with the redact level or from the target sender\'s server', async () => {
    const room = await createRoom(api(), '11', ALICE, `!redact:${SERVER}`);
    await joinBob(api(), room.roomId, env().remoteKey);
    const [aliceMsg] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { body: 'mine' } }] })).eventIds;
    const bobMsg = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.message', sender: BOB, content: { body: 'his' } });
    await api().inputRoomEvents({ inputs: [input(bobMsg)] });
    const r1 = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.redaction', sender: BOB, content: { redacts: aliceMsg! }, redacts: aliceMsg! });
    await api().inputRoomEvents({ inputs: [input(r1)] });
    const r2 = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.redaction', sender: BOB, content: { redacts: bobMsg.eventId }, redacts: bobMsg.eventId });
    await api().inputRoomEvents({ inputs: [input(r2)] });
    const got = await api().queryEvents({ eventIds: [aliceMsg!, bobMsg.eventId] });
    assert.deepEqual(got.events.map((e) => e.event.content), [{ body: 'mine' }, {}]);
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'redacted_event' && m.redactedEventId === bobMsg.eventId));
    assert.equal(env().published.some((m) => m.type === 'redacted_event' && m.redactedEventId === aliceMsg), false);
  });
});
