/** The roomserver API, local sends: rooms v11 and v12, messages, joins, refusals, idempotency, queries, outputs. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { createRoom, describeRoomserverApi, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');

describeRoomserverApi('roomserver API: sending', (api, env) => {
  for (const version of ['11', '12'] as const) {
    it(`creates a v${version} room and sends messages; a second user joins and sends`, async () => {
      const room = await createRoom(api(), version, ALICE, version === '11' ? `!v11send:${SERVER}` : '');
      if (version === '12') assert.equal(room.roomId, `!${room.createId.slice(1)}`);
      const info = await api().queryRoomInfo({ roomId: room.roomId });
      assert.deepEqual(info, { exists: true, roomVersion: version, latestEventIds: [room.joinRulesId] });

      const [m1] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'hi' } }] })).eventIds;
      const [bobJoin, m2] = (
        await api().performSendEvents({
          events: [
            { roomId: room.roomId, type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } },
            { roomId: room.roomId, type: 'm.room.message', sender: BOB, content: { msgtype: 'm.text', body: 'hello' } },
          ],
        })
      ).eventIds;
      const got = await api().queryEvents({ eventIds: [m2!, m1!, '$unknown'] });
      assert.deepEqual(got.events.map((e) => e.eventId), [m2, m1]);
      const msg = got.events[0]!;
      assert.equal(msg.roomId, room.roomId);
      assert.equal(msg.rejected, false);
      assert.deepEqual(msg.event.content, { msgtype: 'm.text', body: 'hello' });
      assert.deepEqual(msg.event.prev_events, [bobJoin]);
      const authEvents = [...(msg.event.auth_events as string[])].sort();
      const expected = version === '12' ? [room.powerId, bobJoin!] : [room.createId, room.powerId, bobJoin!];
      assert.deepEqual(authEvents, expected.sort());
      assert.equal(msg.event.depth, 7);
      assert.ok((msg.event.signatures as Record<string, Record<string, string>>)[SERVER]?.['ed25519:local']);

      assert.deepEqual(await api().queryMembers({ roomId: room.roomId }), { userIds: [ALICE, BOB].sort() });
      assert.deepEqual(await api().queryMembership({ roomId: room.roomId, userId: BOB }), { membership: 'join', eventId: bobJoin });
      assert.deepEqual(await api().queryMembership({ roomId: room.roomId, userId: uid('nobody') }), { membership: null, eventId: null });
      assert.ok((await api().queryRoomsForUser({ userId: BOB, membership: 'join' })).roomIds.includes(room.roomId));
      assert.deepEqual(await api().queryJoinedServers({ roomId: room.roomId }), { serverNames: [SERVER] });
      assert.deepEqual((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds, [m2]);
    });
  }

  it('refuses unauthorised events with M_FORBIDDEN naming the rule, unknown rooms with M_NOT_FOUND', async () => {
    const room = await createRoom(api(), '11', ALICE, `!forbidden:${SERVER}`, { joinRule: 'invite' });
    const send = (sender: string, type: string, content: Record<string, string>, stateKey?: string) =>
      api().performSendEvents({ events: [{ roomId: room.roomId, type, sender, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
    await rejectsWith(send(BOB, 'm.room.message', { body: 'x' }), 'M_FORBIDDEN', /sender_not_joined/);
    await rejectsWith(send(BOB, 'm.room.member', { membership: 'join' }, BOB), 'M_FORBIDDEN', /m\.room\.member\/join/);
    await send(ALICE, 'm.room.member', { membership: 'invite' }, BOB);
    await send(BOB, 'm.room.member', { membership: 'join' }, BOB);
    await rejectsWith(send(BOB, 'm.room.topic', { topic: 'mine' }, ''), 'M_FORBIDDEN', /power_levels\/required_level/);
    await rejectsWith(send(ALICE, 'm.room.message', { body: 'x' }).then(() => api().performSendEvents({ events: [{ roomId: '!nope:test.local', type: 'm.room.message', sender: ALICE, content: {} }] })), 'M_NOT_FOUND');
    await rejectsWith(
      api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { body: 'x'.repeat(70_000) } }] }),
      'M_TOO_LARGE',
    );
    await rejectsWith(
      api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '11' } }] }),
      'M_ROOM_IN_USE',
    );
    // The refused events left no trace: the head is the last accepted event.
    assert.equal((await api().queryRoomInfo({ roomId: room.roomId })).latestEventIds.length, 1);
  });

  it('returns the same event for a repeated transaction ID, a new one for another device or room', async () => {
    const room = await createRoom(api(), '11', ALICE, `!txn:${SERVER}`);
    const send = (deviceId: string, transactionId: string, body: string, roomId = room.roomId) =>
      api().performSendEvents({ events: [{ roomId, type: 'm.room.message', sender: ALICE, content: { body }, transaction: { deviceId, transactionId } }] });
    const [a] = (await send('D1', 't1', 'first')).eventIds;
    const [again] = (await send('D1', 't1', 'first, retried')).eventIds;
    const [other] = (await send('D2', 't1', 'other device')).eventIds;
    assert.equal(again, a);
    assert.notEqual(other, a);
    const latest = await api().queryRoomInfo({ roomId: room.roomId });
    assert.deepEqual(latest.latestEventIds, [other]);
    const second = await createRoom(api(), '11', ALICE, `!txn2:${SERVER}`);
    const [elsewhere] = (await send('D1', 't1', 'other room', second.roomId)).eventIds;
    assert.notEqual(elsewhere, a);
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'new_room_event' && m.eventId === a));
    const out = env().published.find((m) => m.type === 'new_room_event' && m.eventId === a);
    assert.deepEqual(out?.type === 'new_room_event' && out.transaction, { userId: ALICE, deviceId: 'D1', transactionId: 't1' });
    assert.equal(env().published.filter((m) => m.type === 'new_room_event' && m.eventId === a).length, 1);
  });

  it('answers state queries: current, at an event, by tuples and by types', async () => {
    const room = await createRoom(api(), '11', ALICE, `!state:${SERVER}`);
    const [topic1] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.topic', stateKey: '', sender: ALICE, content: { topic: 'one' } }] })).eventIds;
    const [topic2] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.topic', stateKey: '', sender: ALICE, content: { topic: 'two' } }] })).eventIds;
    const ids = (r: { events: readonly { eventId: string }[] }) => r.events.map((e) => e.eventId);
    const current = await api().queryState({ roomId: room.roomId });
    assert.equal(current.found, true);
    // Sorted by type then state key.
    assert.deepEqual(ids(current), [room.createId, room.joinRulesId, room.joinId, room.powerId, topic2]);
    const atTopic1 = await api().queryState({ roomId: room.roomId, atEventId: topic1!, stateTuples: [['m.room.topic', '']] });
    assert.deepEqual(ids(atTopic1), [topic1]);
    assert.deepEqual(atTopic1.events[0]?.event.content, { topic: 'one' });
    const atCreate = await api().queryState({ roomId: room.roomId, atEventId: room.createId });
    assert.deepEqual(ids(atCreate), [room.createId]);
    const members = await api().queryState({ roomId: room.roomId, types: ['m.room.member'], stateTuples: [['m.room.create', '']] });
    assert.deepEqual(ids(members), [room.createId, room.joinId]);
    assert.deepEqual(await api().queryState({ roomId: '!unknown:test.local' }), { found: false, events: [] });
    assert.deepEqual(await api().queryState({ roomId: '!other:test.local', atEventId: topic1! }), { found: false, events: [] });
  });

  it('publishes OutputRoomEvent in order with the state adds and removes, and redactions', async () => {
    const room = await createRoom(api(), '11', ALICE, `!output:${SERVER}`);
    const [pl2, msg] = (
      await api().performSendEvents({
        events: [
          { roomId: room.roomId, type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: { users: { [ALICE]: 100 }, redact: 0 } },
          { roomId: room.roomId, type: 'm.room.message', sender: ALICE, content: { body: 'oops' } },
        ],
      })
    ).eventIds;
    const [red] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.redaction', sender: ALICE, content: { reason: 'typo' }, redacts: msg! }] })).eventIds;
    const mine = () => env().published.filter((m) => m.roomId === room.roomId);
    await env().waitForPublished(() => mine().some((m) => m.type === 'redacted_event'));
    const news = mine().filter((m): m is Extract<OutputRoomEventMessage, { type: 'new_room_event' }> => m.type === 'new_room_event');
    assert.deepEqual(news.map((m) => m.eventId), [room.createId, room.joinId, room.powerId, room.joinRulesId, pl2, msg, red]);
    assert.deepEqual(news.map((m) => m.streamPosition), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(news.map((m) => [m.addsStateEventIds, m.removesStateEventIds]), [
      [[room.createId], []],
      [[room.joinId], []],
      [[room.powerId], []],
      [[room.joinRulesId], []],
      [[pl2], [room.powerId]],
      [[], []],
      [[], []],
    ]);
    assert.deepEqual(news.map((m) => m.latestEventIds), news.map((m) => [m.eventId]));
    const redacted = mine().find((m) => m.type === 'redacted_event');
    assert.deepEqual(redacted, {
      type: 'redacted_event',
      roomId: room.roomId,
      redactedEventId: msg,
      redactedBy: red,
      redactedEvent: { ...redacted!.redactedEvent, content: {} },
    });
    assert.equal(mine().indexOf(redacted!), mine().length - 1);
    const [stored] = (await api().queryEvents({ eventIds: [msg!] })).events;
    assert.deepEqual(stored?.event.content, {});
    assert.equal(stored?.event.unsigned, undefined);
  });

  it('retires an invite when the invitee joins', async () => {
    const room = await createRoom(api(), '11', ALICE, `!invite:${SERVER}`, { joinRule: 'invite' });
    const [invite] = (await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.member', stateKey: BOB, sender: ALICE, content: { membership: 'invite' } }] })).eventIds;
    const [stored] = (await api().queryEvents({ eventIds: [invite!] })).events;
    await env().storage.addInvite({ inviteEventId: invite!, roomId: room.roomId, targetUserId: BOB, sender: ALICE, strippedState: [], eventJson: JSON.stringify(stored!.event) });
    assert.deepEqual((await api().queryRoomsForUser({ userId: BOB, membership: 'invite' })).roomIds.includes(room.roomId), true);
    await api().performSendEvents({ events: [{ roomId: room.roomId, type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } }] });
    await env().waitForPublished((ms) => ms.some((m) => m.type === 'retire_invite' && m.roomId === room.roomId));
    const retire = env().published.find((m) => m.type === 'retire_invite' && m.roomId === room.roomId);
    assert.deepEqual(retire, { type: 'retire_invite', roomId: room.roomId, userId: BOB, retiredEventIds: [invite] });
  });
});
