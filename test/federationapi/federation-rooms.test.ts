/**
 * Rooms across two real Axon servers federating over HTTPS (`startFederatedPair`): a room made
 * on A is joined from B (make_join/send_join through A), messages and state changes travel both
 * ways through the per-destination queues and `/send`, and membership changes (leave, ban,
 * invite across) take effect on both sides. Everything between the servers is real: discovery,
 * TLS against the test CA, X-Matrix, the key rings, the roomservers' checks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair, type FederatedServer } from '../harness/start-federated-pair.js';
import { eventually, membership, seesMessage, send, type RoomEventJson } from './federated-room-kit.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated room tests: ${skip}`);

describe('rooms across two federating Axon servers', { skip, timeout: 180_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let roomId: string;

  before(async () => {
    pair = await startFederatedPair();
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
    const created = await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', {
      token: alice.accessToken,
      body: { preset: 'public_chat', name: 'Across', topic: 'first topic' },
    });
    roomId = okBody(created).room_id as string;
  });
  after(async () => {
    await pair?.stop();
  });

  it('B joins a room of A through make_join/send_join and has its state', async () => {
    const res = await pair.b.client.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(pair.a.serverName)}`, {
      token: bob.accessToken,
      body: {},
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.room_id, roomId);
    const name = await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.name/`, { token: bob.accessToken });
    assert.deepEqual(okBody(name), { name: 'Across' });
    assert.equal(await membership(pair.b, bob, roomId, alice.userId), 'join');
    assert.equal(await membership(pair.b, bob, roomId, bob.userId), 'join');
    // A learns of the join as the resident server that accepted it.
    assert.equal(await membership(pair.a, alice, roomId, bob.userId), 'join');
    // Bob's sync shows the whole room: the state the join brought is state before it, not news of it.
    const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: bob.accessToken });
    const joinedRoom = (okBody(s).rooms as { join: Record<string, { state: { events: RoomEventJson[] }; timeline: { events: RoomEventJson[] } }> }).join[roomId]!;
    const types = new Set([...joinedRoom.state.events, ...joinedRoom.timeline.events].map((e) => e.type));
    for (const t of ['m.room.create', 'm.room.power_levels', 'm.room.join_rules', 'm.room.name', 'm.room.topic']) assert.ok(types.has(t), `${t} missing from bob's sync`);
  });

  it('messages travel both ways', async () => {
    const fromA = await send(pair.a, alice, roomId, 'hello from A');
    const seenOnB = await seesMessage(pair.b, bob, roomId, 'hello from A');
    assert.equal(seenOnB.event_id, fromA);
    assert.equal(seenOnB.sender, alice.userId);
    const fromB = await send(pair.b, bob, roomId, 'hello from B');
    const seenOnA = await seesMessage(pair.a, alice, roomId, 'hello from B');
    assert.equal(seenOnA.event_id, fromB);
    assert.equal(seenOnA.sender, bob.userId);
  });

  it('typing and read receipts travel both ways as EDUs', async () => {
    const ephemeralOf = async (server: FederatedServer, user: TestUser, type: string): Promise<Record<string, unknown>[]> => {
      const s = await server.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: user.accessToken });
      const join = (s.body.rooms as { join?: Record<string, { ephemeral?: { events: { type: string; content: Record<string, unknown> }[] } }> } | undefined)?.join;
      return (join?.[roomId]?.ephemeral?.events ?? []).filter((e) => e.type === type).map((e) => e.content);
    };
    const typing = await pair.a.client.call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/typing/${encodeURIComponent(alice.userId)}`, { token: alice.accessToken, body: { typing: true, timeout: 20_000 } });
    okBody(typing);
    const seenTyping = await eventually('alice typing on B', async () => (await ephemeralOf(pair.b, bob, 'm.typing')).find((c) => (c.user_ids as string[]).includes(alice.userId)));
    assert.deepEqual(seenTyping.user_ids, [alice.userId]);
    const msg = await send(pair.a, alice, roomId, 'read me');
    await seesMessage(pair.b, bob, roomId, 'read me');
    okBody(await pair.b.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/receipt/m.read/${encodeURIComponent(msg)}`, { token: bob.accessToken, body: {} }));
    const receipt = await eventually("bob's receipt on A", async () => {
      const all = await ephemeralOf(pair.a, alice, 'm.receipt');
      const byEvent = all.map((c) => c[msg] as { 'm.read'?: Record<string, { ts: number }> } | undefined).find((r) => r?.['m.read']?.[bob.userId] !== undefined);
      return byEvent?.['m.read']?.[bob.userId];
    });
    assert.equal(typeof receipt.ts, 'number');
  });

  it("presence travels as an EDU: B's user sees A's user's status", async () => {
    okBody(await pair.a.client.call('PUT', `/_matrix/client/v3/presence/${encodeURIComponent(alice.userId)}/status`, { token: alice.accessToken, body: { presence: 'unavailable', status_msg: 'across the wire' } }));
    const seen = await eventually("alice's presence on B", async () => {
      const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: bob.accessToken });
      const events = ((s.body.presence as { events?: { sender: string; content: Record<string, unknown> }[] } | undefined)?.events ?? []);
      return events.find((e) => e.sender === alice.userId && e.content.status_msg === 'across the wire');
    });
    assert.equal(seen.content.presence, 'unavailable');
    const direct = await pair.b.client.call('GET', `/_matrix/client/v3/presence/${encodeURIComponent(alice.userId)}/status`, { token: bob.accessToken });
    assert.equal(direct.status, 200, JSON.stringify(direct.body));
    assert.equal(direct.body.status_msg, 'across the wire');
  });

  it('a state change on one side is the current state on the other', async () => {
    const res = await pair.a.client.call('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.topic/`, {
      token: alice.accessToken,
      body: { topic: 'second topic' },
    });
    okBody(res);
    const topic = await eventually('the topic on B', async () => {
      const r = await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.topic/`, { token: bob.accessToken });
      return r.status === 200 && r.body.topic === 'second topic' ? r.body.topic : undefined;
    });
    assert.equal(topic, 'second topic');
  });

  it('a leave from B reaches A, and a ban from A reaches B', async () => {
    okBody(await pair.b.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/leave`, { token: bob.accessToken, body: {} }));
    assert.equal(await eventually('the leave on A', async () => ((await membership(pair.a, alice, roomId, bob.userId)) === 'leave' ? 'leave' : undefined)), 'leave');
    // B rejoins, then A bans: B's server must learn of it although B's user is no longer joined.
    okBody(await pair.b.client.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?via=${encodeURIComponent(pair.a.serverName)}`, { token: bob.accessToken, body: {} }));
    okBody(await pair.a.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/ban`, { token: alice.accessToken, body: { user_id: bob.userId, reason: 'test' } }));
    assert.equal(await eventually('the ban on B', async () => ((await membership(pair.b, bob, roomId, bob.userId)) === 'ban' ? 'ban' : undefined)), 'ban');
    const again = await pair.b.client.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?via=${encodeURIComponent(pair.a.serverName)}`, { token: bob.accessToken, body: {} });
    assert.equal(again.status, 403, JSON.stringify(again.body));
  });

  it('A invites a user of B, who sees the invite in sync and joins', async () => {
    const carol = await pair.b.client.register('carol');
    const created = await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'private_chat', name: 'Private' } });
    const privateRoom = okBody(created).room_id as string;
    const inv = await pair.a.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(privateRoom)}/invite`, { token: alice.accessToken, body: { user_id: carol.userId } });
    assert.equal(inv.status, 200, JSON.stringify(inv.body));
    const invited = await eventually('the invite in carol\'s sync', async () => {
      const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: carol.accessToken });
      const rooms = (s.body.rooms as { invite?: Record<string, { invite_state: { events: RoomEventJson[] } }> } | undefined)?.invite;
      return rooms?.[privateRoom];
    });
    const names = invited.invite_state.events.filter((e) => e.type === 'm.room.name').map((e) => e.content.name);
    assert.deepEqual(names, ['Private']);
    const joined = await pair.b.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(privateRoom)}/join`, { token: carol.accessToken, body: {} });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    assert.equal(await eventually('carol joined on A', async () => ((await membership(pair.a, alice, privateRoom, carol.userId)) === 'join' ? 'join' : undefined)), 'join');
    await send(pair.b, carol, privateRoom, 'thanks for the invite');
    await seesMessage(pair.a, alice, privateRoom, 'thanks for the invite');
  });

  it('a user of B knocks on a room of A, sees it under knock, and joins once invited', async () => {
    const dave = await pair.b.client.register('dave');
    const created = await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', {
      token: alice.accessToken,
      body: { preset: 'private_chat', name: 'Knock here', initial_state: [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 'knock' } }] },
    });
    const knockRoom = okBody(created).room_id as string;
    const knocked = await pair.b.client.call('POST', `/_matrix/client/v3/knock/${encodeURIComponent(knockRoom)}?via=${encodeURIComponent(pair.a.serverName)}`, { token: dave.accessToken, body: { reason: 'let me in' } });
    assert.equal(knocked.status, 200, JSON.stringify(knocked.body));
    assert.equal(knocked.body.room_id, knockRoom);
    assert.equal(await eventually('the knock on A', async () => ((await membership(pair.a, alice, knockRoom, dave.userId)) === 'knock' ? 'knock' : undefined)), 'knock');
    const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: dave.accessToken });
    const knockSection = (s.body.rooms as { knock?: Record<string, { knock_state: { events: RoomEventJson[] } }> }).knock?.[knockRoom];
    assert.ok(knockSection, JSON.stringify(s.body.rooms));
    assert.deepEqual(knockSection.knock_state.events.filter((e) => e.type === 'm.room.name').map((e) => e.content.name), ['Knock here']);
    okBody(await pair.a.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(knockRoom)}/invite`, { token: alice.accessToken, body: { user_id: dave.userId } }));
    const joined = await eventually('dave can join', async () => {
      const r = await pair.b.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(knockRoom)}/join`, { token: dave.accessToken, body: {} });
      return r.status === 200 ? r : undefined;
    });
    assert.equal(joined.body.room_id, knockRoom);
    assert.equal(await eventually('dave joined on A', async () => ((await membership(pair.a, alice, knockRoom, dave.userId)) === 'join' ? 'join' : undefined)), 'join');
  });

  it('a user of B rejects an invite from A: the leave goes through make_leave/send_leave', async () => {
    const erin = await pair.b.client.register('erin');
    const created = await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'private_chat', invite: [erin.userId] } });
    const room = okBody(created).room_id as string;
    await eventually("the invite in erin's sync", async () => {
      const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: erin.accessToken });
      return (s.body.rooms as { invite?: Record<string, unknown> } | undefined)?.invite?.[room];
    });
    const left = await pair.b.client.call('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/leave`, { token: erin.accessToken, body: { reason: 'no thanks' } });
    assert.equal(left.status, 200, JSON.stringify(left.body));
    assert.equal(await eventually('the rejection on A', async () => ((await membership(pair.a, alice, room, erin.userId)) === 'leave' ? 'leave' : undefined)), 'leave');
    const s = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: erin.accessToken });
    const rooms = s.body.rooms as { invite?: Record<string, unknown>; leave?: Record<string, unknown> };
    assert.equal(rooms.invite?.[room], undefined);
  });
});
