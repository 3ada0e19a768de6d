/**
 * Backfill between two real Axon servers (`startFederatedPair`): B joins a room of A late, so it
 * holds only the join's state and what came after; paging back with `/messages` on B fetches the
 * older history from A (`/backfill`, `/state_ids`) until the room's creation. Every message comes
 * back exactly once, in order, the `end` tokens keep working across the backfilled range, and
 * none of the old events shows up in B's incremental sync as new.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, type TestUser } from '../clientapi/client-test-server.js';
import { federatedPairUnavailableReason, startFederatedPair, type FederatedPair } from '../harness/start-federated-pair.js';
import { send, type RoomEventJson } from './federated-room-kit.js';

const skip = federatedPairUnavailableReason();
if (skip) console.log(`# skipping the federated backfill tests: ${skip}`);

const MESSAGES = 200;

describe('backfill between two federating Axon servers', { skip, timeout: 300_000 }, () => {
  let pair: FederatedPair;
  let alice: TestUser; // on A
  let bob: TestUser; // on B
  let roomId: string;

  before(async () => {
    pair = await startFederatedPair();
    alice = await pair.a.client.register('alice');
    bob = await pair.b.client.register('bob');
    const created = await pair.a.client.call('POST', '/_matrix/client/v3/createRoom', { token: alice.accessToken, body: { preset: 'public_chat', name: 'History' } });
    roomId = okBody(created).room_id as string;
    for (let i = 0; i < MESSAGES; i++) await send(pair.a, alice, roomId, `message ${i}`);
    const joined = await pair.b.client.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(pair.a.serverName)}`, { token: bob.accessToken, body: {} });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
  });
  after(async () => {
    await pair?.stop();
  });

  it('pages back on B past its join to the creation: every message once, in order', async () => {
    const initial = await pair.b.client.call('GET', '/_matrix/client/v3/sync?timeout=0', { token: bob.accessToken });
    const since = okBody(initial).next_batch as string;

    const seen: RoomEventJson[] = [];
    let from: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 20, 'paging never ended');
      const q = `dir=b&limit=50${from === undefined ? '' : `&from=${encodeURIComponent(from)}`}`;
      const res = await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${q}`, { token: bob.accessToken });
      const body = okBody(res);
      seen.push(...(body.chunk as RoomEventJson[]));
      if (body.end === undefined) break;
      from = body.end as string;
    }

    const ids = seen.map((e) => e.event_id);
    assert.equal(new Set(ids).size, ids.length, 'an event came back twice');
    const bodies = seen.filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
    assert.deepEqual(bodies, Array.from({ length: MESSAGES }, (_, i) => `message ${MESSAGES - 1 - i}`));
    // Newest first: bob's join, the messages, the room's first state, and last its creation.
    assert.equal(seen[0]?.type, 'm.room.member');
    assert.equal(seen[0]?.state_key, bob.userId);
    assert.equal(seen.at(-1)?.type, 'm.room.create');
    assert.deepEqual(
      seen.slice(MESSAGES + 1).map((e) => e.type).sort(),
      ['m.room.create', 'm.room.guest_access', 'm.room.history_visibility', 'm.room.join_rules', 'm.room.member', 'm.room.name', 'm.room.power_levels'],
    );

    // The old events are history, not news: B's next sync carries none of them.
    const next = await pair.b.client.call('GET', `/_matrix/client/v3/sync?timeout=0&since=${encodeURIComponent(since)}`, { token: bob.accessToken });
    const rooms = (okBody(next).rooms as { join?: Record<string, { timeline?: { events: RoomEventJson[] } }> } | undefined)?.join;
    assert.deepEqual(rooms?.[roomId]?.timeline?.events ?? [], []);

    // Paging again from the top reads the stored history (no second backfill needed).
    const again = await pair.b.client.call('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${MESSAGES + 20}`, { token: bob.accessToken });
    assert.deepEqual((okBody(again).chunk as RoomEventJson[]).map((e) => e.event_id), ids);
  });
});
