/**
 * The federation sender's consumers over a REAL roomserver (in-process and over inthttp, SQLite
 * and PostgreSQL): which events and EDUs go out, to which servers, in what shape. The handlers
 * get the roomserver's actual `OutputRoomEvent` messages and a recording queue.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { handleReceiptOutput } from '../../src/federationapi/consumers/clientapi-receipts.js';
import { handleTypingOutput } from '../../src/federationapi/consumers/clientapi-typing.js';
import { handleRoomserverOutput, outboundPdu } from '../../src/federationapi/consumers/roomserver.js';
import type { SenderDeps } from '../../src/federationapi/consumers/sender-deps.js';
import { handlePresenceOutput } from '../../src/federationapi/consumers/userapi-presence.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, SERVER, uid, type RoomserverEnv } from '../roomserver/roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob', REMOTE);
const CAROL = uid('carol', 'third.test');
const DAVE = uid('dave');
const NOW = 1_700_000_000_000;

interface Sent {
  readonly kind: 'pdus' | 'edus';
  readonly destinations: string[];
  readonly items: readonly JsonObject[];
}

function recorder(api: RoomserverAPI): { deps: SenderDeps; sent: Sent[] } {
  const sent: Sent[] = [];
  const deps: SenderDeps = {
    serverName: SERVER,
    now: () => NOW,
    roomserver: api,
    queues: {
      sendPdus: async (destinations, pdus) => void sent.push({ kind: 'pdus', destinations: [...destinations].sort(), items: pdus }),
      sendEdus: async (destinations, edus) => void sent.push({ kind: 'edus', destinations: [...destinations].sort(), items: edus.map((e) => ({ ...e })) }),
    },
  };
  return { deps, sent };
}

async function published(env: RoomserverEnv, eventId: string): Promise<Extract<OutputRoomEventMessage, { type: 'new_room_event' }>> {
  await env.waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === eventId));
  const found = env.published.find((m) => m.type === 'new_room_event' && m.eventId === eventId);
  assert.ok(found?.type === 'new_room_event');
  return found;
}

/** A v11 room of ALICE with BOB (remote.test) joined. */
async function sharedRoom(api: RoomserverAPI, env: RoomserverEnv, name: string): Promise<string> {
  const room = await createRoom(api, '11', ALICE, `!${name}:${SERVER}`);
  const join = await remoteEvent(api, room.roomId, env.remoteKey, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
  const { results } = await api.inputRoomEvents({ inputs: [{ kind: 'new', event: join.json, roomVersion: '11', origin: REMOTE }] });
  assert.equal(results[0]?.accepted, true);
  await published(env, join.eventId);
  return room.roomId;
}

async function send(api: RoomserverAPI, roomId: string, type: string, content: JsonObject, stateKey?: string): Promise<string> {
  const { eventIds } = await api.performSendEvents({ events: [{ roomId, type, sender: ALICE, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
  return eventIds[0]!;
}

describeRoomserverApi('federationapi sender consumers', (api, env) => {
  it('sends our events to the joined servers, and never remote events or to us', async () => {
    const roomId = await sharedRoom(api(), env(), 'pdus');
    const { deps, sent } = recorder(api());
    const { eventIds } = await api().performSendEvents({
      events: [{ roomId, type: 'm.room.message', sender: ALICE, content: { body: 'hello' }, transaction: { deviceId: 'DEV', transactionId: 'txn1' } }],
    });
    const msg = await published(env(), eventIds[0]!);
    await handleRoomserverOutput(deps, msg);
    assert.deepEqual(sent, [{ kind: 'pdus', destinations: [REMOTE], items: [outboundPdu(msg.event)] }]);
    const pdu = sent[0]!.items[0]!;
    assert.equal(pdu.event_id ?? eventIds[0], eventIds[0]);
    assert.deepEqual(pdu.content, { body: 'hello' });
    assert.equal(JSON.stringify(pdu).includes('txn1'), false);

    // BOB's own message is his server's to send.
    const remote = await remoteEvent(api(), roomId, env().remoteKey, { type: 'm.room.message', sender: BOB, content: { body: 'hi' } });
    await api().inputRoomEvents({ inputs: [{ kind: 'new', event: remote.json, roomVersion: '11', origin: REMOTE }] });
    await handleRoomserverOutput(deps, await published(env(), remote.eventId));
    assert.equal(sent.length, 1);

    // …unless it joined through us (send_join): then we send it to the room.
    const bobJoin = env().published.find((m) => m.type === 'new_room_event' && m.event.sender === BOB && m.event.type === 'm.room.member');
    assert.ok(bobJoin?.type === 'new_room_event');
    await handleRoomserverOutput(deps, { ...bobJoin, sendAsServer: SERVER });
    await handleRoomserverOutput(deps, { ...bobJoin, sendAsServer: 'elsewhere.test' });
    assert.deepEqual(sent.slice(1), [{ kind: 'pdus', destinations: [REMOTE], items: [outboundPdu(bobJoin.event)] }]);
  });

  it("adds the target's server to invites, kicks and bans of remote users", async () => {
    const roomId = await sharedRoom(api(), env(), 'members');
    const { deps, sent } = recorder(api());
    const localInvite = await published(env(), await send(api(), roomId, 'm.room.member', { membership: 'invite' }, DAVE));
    // This roomserver refuses remote invites until federation invites exist: the message the
    // invite flow will publish is made from a local one.
    await handleRoomserverOutput(deps, { ...localInvite, event: { ...localInvite.event, state_key: CAROL } });
    await handleRoomserverOutput(deps, localInvite);
    const kick = await send(api(), roomId, 'm.room.member', { membership: 'leave' }, BOB);
    await handleRoomserverOutput(deps, await published(env(), kick));
    // Nobody of remote.test is joined now: only the target rule reaches it.
    assert.deepEqual(await api().queryJoinedServers({ roomId }), { serverNames: [SERVER] });
    const ban = await send(api(), roomId, 'm.room.member', { membership: 'ban' }, BOB);
    await handleRoomserverOutput(deps, await published(env(), ban));
    const topic = await send(api(), roomId, 'm.room.topic', { topic: 'alone' }, '');
    await handleRoomserverOutput(deps, await published(env(), topic));
    assert.deepEqual(
      sent.map((s) => s.destinations),
      [[REMOTE, 'third.test'], [REMOTE], [REMOTE], [REMOTE]],
    );
    assert.deepEqual(
      sent.map((s) => (s.items[0]!.content as JsonObject).membership),
      ['invite', 'invite', 'leave', 'ban'],
    );
  });

  it('ignores redactions and retired invites', async () => {
    const { deps, sent } = recorder(api());
    await handleRoomserverOutput(deps, { type: 'redacted_event', roomId: '!r:test.local', redactedEventId: '$a', redactedBy: '$b', redactedEvent: {} });
    await handleRoomserverOutput(deps, { type: 'retire_invite', roomId: '!r:test.local', userId: BOB, retiredEventIds: ['$c'] });
    assert.deepEqual(sent, []);
  });

  it('sends local typing and public read receipts to the joined servers', async () => {
    const roomId = await sharedRoom(api(), env(), 'edus');
    const { deps, sent } = recorder(api());
    await handleTypingOutput(deps, { type: 'typing', roomId, userId: ALICE, typing: true, timeoutMs: 30_000, ts: NOW - 1_000 });
    await handleTypingOutput(deps, { type: 'typing', roomId, userId: ALICE, typing: false, timeoutMs: 0, ts: NOW - 60_000 });
    // Remote users' typing, and a "typing" already expired, stay here.
    await handleTypingOutput(deps, { type: 'typing', roomId, userId: BOB, typing: true, timeoutMs: 30_000, ts: NOW });
    await handleTypingOutput(deps, { type: 'typing', roomId, userId: ALICE, typing: true, timeoutMs: 30_000, ts: NOW - 30_000 });
    await handleReceiptOutput(deps, { type: 'receipt', roomId, userId: ALICE, eventId: '$ev1', receiptType: 'm.read', threadId: null, ts: 111 });
    await handleReceiptOutput(deps, { type: 'receipt', roomId, userId: ALICE, eventId: '$ev2', receiptType: 'm.read', threadId: 'main', ts: 222 });
    await handleReceiptOutput(deps, { type: 'receipt', roomId, userId: ALICE, eventId: '$ev3', receiptType: 'm.read.private', threadId: null, ts: 333 });
    await handleReceiptOutput(deps, { type: 'receipt', roomId, userId: BOB, eventId: '$ev4', receiptType: 'm.read', threadId: null, ts: 444 });
    // A room with no other server sends nothing.
    const alone = await createRoom(api(), '11', ALICE, `!alone:${SERVER}`);
    await handleTypingOutput(deps, { type: 'typing', roomId: alone.roomId, userId: ALICE, typing: true, timeoutMs: 30_000, ts: NOW });
    assert.deepEqual(sent, [
      { kind: 'edus', destinations: [REMOTE], items: [{ edu_type: 'm.typing', content: { room_id: roomId, user_id: ALICE, typing: true } }] },
      { kind: 'edus', destinations: [REMOTE], items: [{ edu_type: 'm.typing', content: { room_id: roomId, user_id: ALICE, typing: false } }] },
      {
        kind: 'edus',
        destinations: [REMOTE],
        items: [{ edu_type: 'm.receipt', content: { [roomId]: { 'm.read': { [ALICE]: { event_ids: ['$ev1'], data: { ts: 111 } } } } } }],
      },
      {
        kind: 'edus',
        destinations: [REMOTE],
        items: [{ edu_type: 'm.receipt', content: { [roomId]: { 'm.read': { [ALICE]: { event_ids: ['$ev2'], data: { ts: 222, thread_id: 'main' } } } } } }],
      },
    ]);
  });

  it("sends a local user's presence once to every server sharing a room", async () => {
    await sharedRoom(api(), env(), 'presence1');
    await sharedRoom(api(), env(), 'presence2');
    await createRoom(api(), '11', ALICE, `!presence3:${SERVER}`);
    const { deps, sent } = recorder(api());
    const base = { type: 'presence' as const, presence: 'online' as const, currentlyActive: true, streamPosition: 7 };
    await handlePresenceOutput(deps, { ...base, userId: ALICE, statusMsg: 'baking', lastActiveTs: NOW - 5_000 });
    await handlePresenceOutput(deps, { ...base, userId: ALICE, presence: 'offline', currentlyActive: false, statusMsg: null, lastActiveTs: null });
    await handlePresenceOutput(deps, { ...base, userId: BOB, statusMsg: null, lastActiveTs: NOW });
    await handlePresenceOutput(deps, { ...base, userId: DAVE, statusMsg: null, lastActiveTs: NOW });
    assert.deepEqual(sent, [
      {
        kind: 'edus',
        destinations: [REMOTE],
        items: [{ edu_type: 'm.presence', content: { push: [{ user_id: ALICE, presence: 'online', last_active_ago: 5_000, currently_active: true, status_msg: 'baking' }] } }],
      },
      {
        kind: 'edus',
        destinations: [REMOTE],
        items: [{ edu_type: 'm.presence', content: { push: [{ user_id: ALICE, presence: 'offline', last_active_ago: NOW, currently_active: false }] } }],
      },
    ]);
  });
});
