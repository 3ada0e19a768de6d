/**
 * `queryEventTemplate` over a real roomserver: a template on the room's head (prev events, auth
 * events, depth), unsigned and without an ID; `origin` and reference pairs in a v2 room; 403
 * naming the auth rule when the current state refuses the event; 404 for a room without state.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import { createRoom, describeRoomserverApi, REMOTE, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);
const join = (user: string) => ({ type: 'm.room.member', stateKey: user, sender: user, content: { membership: 'join' } });

describeRoomserverApi('roomserver queryEventTemplate', (api) => {
  it('a v11 join template on the head: prev events, auth events, depth; no hashes, signatures or ID', async () => {
    const r = await createRoom(api(), '11', ALICE, `!tpl:${SERVER}`);
    const { roomVersion, event } = await api().queryEventTemplate({ roomId: r.roomId, proto: join(ROB) });
    assert.equal(roomVersion, '11');
    assert.deepEqual(event.prev_events, [r.joinRulesId]);
    assert.deepEqual([...(event.auth_events as string[])].sort(), [r.createId, r.powerId, r.joinRulesId].sort());
    assert.deepEqual([event.depth, event.room_id, event.sender, event.state_key, event.type], [5, r.roomId, ROB, ROB, 'm.room.member']);
    assert.deepEqual(Object.keys(event).sort(), ['auth_events', 'content', 'depth', 'origin_server_ts', 'prev_events', 'room_id', 'sender', 'state_key', 'type']);
    // Reading changes nothing.
    assert.deepEqual((await api().queryRoomInfo({ roomId: r.roomId })).latestEventIds, [r.joinRulesId]);
  });

  it('a v2 room: the sender\'s server as origin, references as pairs, no minted event ID', async () => {
    const roomId = `!old:${SERVER}`;
    const [createId] = (await api().performSendEvents({ events: [{ roomId, type: 'm.room.create', stateKey: '', sender: ALICE, content: { room_version: '2', creator: ALICE } }] })).eventIds;
    await api().performSendEvents({ events: [{ roomId, ...join(ALICE) }, { roomId, type: 'm.room.join_rules', stateKey: '', sender: ALICE, content: { join_rule: 'public' } }] });
    const { roomVersion, event } = await api().queryEventTemplate({ roomId, proto: join(ROB) });
    assert.equal(roomVersion, '2');
    assert.equal(event.origin, REMOTE);
    assert.equal(event.event_id, undefined);
    const prev = event.prev_events as [string, JsonObject][];
    assert.equal(prev.length, 1);
    assert.equal(Array.isArray(prev[0]), true);
    assert.ok((event.auth_events as [string, JsonObject][]).some(([id]) => id === createId));
  });

  it('refused by the current state: 403 naming the rule; unknown room: 404', async () => {
    const r = await createRoom(api(), '12', ALICE, '', { joinRule: 'invite' });
    await rejectsWith(api().queryEventTemplate({ roomId: r.roomId, proto: join(ROB) }), 'M_FORBIDDEN', /auth rule m\.room\.member\/join\/join_rule/);
    await rejectsWith(api().queryEventTemplate({ roomId: r.roomId, proto: { ...join(ROB), content: { membership: 'leave' } } }), 'M_FORBIDDEN');
    await rejectsWith(api().queryEventTemplate({ roomId: `!none:${SERVER}`, proto: join(ROB) }), 'M_NOT_FOUND');
  });
});
