/**
 * The room directory, forgetting and reporting over real HTTP against an in-process monolith:
 * `/directory/list/room` (who may publish), `/publicRooms` (fields, counts, order, pagination,
 * search, room types), `/rooms/{roomId}/forget`, and the three report endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

describe('room directory, forget and reports', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let admin: TestUser;
  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
    admin = await s.register('boss', { admin: true });
  });
  after(() => s.stop());

  const as = (u: TestUser | undefined) => {
    const token = u?.accessToken;
    return {
      post: (path: string, body: unknown = {}) => s.call('POST', V3 + path, { token, body }),
      put: (path: string, body: unknown = {}) => s.call('PUT', V3 + path, { token, body }),
      get: (path: string) => s.call('GET', V3 + path, { token }),
    };
  };
  const ok = (res: Res): Record<string, unknown> => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const err = (res: Res, status: number, errcode: string): void => assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
  const create = async (u: TestUser, body: Record<string, unknown>): Promise<string> => String(ok(await as(u).post('/createRoom', body)).room_id);
  const join = async (u: TestUser, roomId: string) => ok(await as(u).post(`/join/${enc(roomId)}`));
  type Chunk = Record<string, unknown> & { room_id: string };
  const chunkIds = (body: Record<string, unknown>): string[] => (body.chunk as Chunk[]).map((c) => c.room_id);

  it('lists published rooms with their fields and counts, paginates, searches and filters by type', async () => {
    const p1 = await create(alice, { preset: 'public_chat', visibility: 'public', name: 'Cooking club', topic: 'Recipes' });
    await join(bob, p1);
    await join(carol, p1);
    const p2 = await create(alice, { preset: 'public_chat', visibility: 'public', topic: 'Gardening', room_alias_name: 'cooks' });
    await join(bob, p2);
    const p3 = await create(alice, { preset: 'public_chat', visibility: 'public', name: 'A space', creation_content: { type: 'm.space' } });
    await create(alice, { preset: 'public_chat', name: 'Cooking, unlisted' });

    // GET needs no access token.
    const all = ok(await as(undefined).get('/publicRooms'));
    assert.deepEqual(chunkIds(all), [p1, p2, p3]);
    assert.deepEqual((all.chunk as Chunk[]).map((c) => c.num_joined_members), [3, 2, 1]);
    assert.equal(all.total_room_count_estimate, 3);
    assert.equal(all.next_batch, undefined);
    const [c1, c2, c3] = all.chunk as Chunk[];
    assert.deepEqual(c1, { room_id: p1, num_joined_members: 3, world_readable: false, guest_can_join: false, name: 'Cooking club', topic: 'Recipes', join_rule: 'public' });
    assert.deepEqual(c2, { room_id: p2, num_joined_members: 2, world_readable: false, guest_can_join: false, topic: 'Gardening', canonical_alias: `#cooks:${SERVER_NAME}`, join_rule: 'public' });
    assert.equal(c3!.room_type, 'm.space');

    const page1 = ok(await as(undefined).get('/publicRooms?limit=2'));
    assert.deepEqual(chunkIds(page1), [p1, p2]);
    assert.equal(page1.prev_batch, undefined);
    assert.equal(typeof page1.next_batch, 'string');
    const page2 = ok(await as(undefined).get(`/publicRooms?limit=2&since=${enc(String(page1.next_batch))}`));
    assert.deepEqual(chunkIds(page2), [p3]);
    assert.equal(page2.next_batch, undefined);
    assert.deepEqual(chunkIds(ok(await as(undefined).get(`/publicRooms?limit=2&since=${enc(String(page2.prev_batch))}`))), [p1, p2]);

    const search = async (filter: Record<string, unknown>, extra: Record<string, unknown> = {}) => ok(await as(bob).post('/publicRooms', { filter, ...extra }));
    assert.deepEqual(chunkIds(await search({ generic_search_term: 'COOK' })), [p1, p2], 'name of p1, alias of p2; the unlisted room is not searched');
    assert.deepEqual(chunkIds(await search({ generic_search_term: 'garden' })), [p2]);
    assert.equal((await search({ generic_search_term: 'garden' })).total_room_count_estimate, 1);
    assert.deepEqual(chunkIds(await search({ room_types: ['m.space'] })), [p3]);
    assert.deepEqual(chunkIds(await search({ room_types: [null] })), [p1, p2]);
    const limited = await search({ generic_search_term: 'cook' }, { limit: 1 });
    assert.deepEqual(chunkIds(limited), [p1]);
    assert.deepEqual(chunkIds(await search({ generic_search_term: 'cook' }, { limit: 1, since: limited.next_batch })), [p2]);

    err(await as(undefined).post('/publicRooms', {}), 401, 'M_MISSING_TOKEN');
    err(await as(undefined).get('/publicRooms?since=garbage'), 400, 'M_INVALID_PARAM');
    err(await as(undefined).get('/publicRooms?server=elsewhere.example'), 404, 'M_NOT_FOUND');
    assert.deepEqual(chunkIds(ok(await as(undefined).get(`/publicRooms?server=${enc(SERVER_NAME)}`))), [p1, p2, p3]);

    // Unpublishing takes the room out of the listing.
    ok(await as(alice).put(`/directory/list/room/${enc(p1)}`, { visibility: 'private' }));
    assert.deepEqual(chunkIds(ok(await as(undefined).get('/publicRooms'))), [p2, p3]);
  });

  it('publishes and unpublishes: members with power over the canonical alias, or admins', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const path = `/directory/list/room/${enc(roomId)}`;
    assert.deepEqual(ok(await as(undefined).get(path)), { visibility: 'private' });

    err(await as(bob).put(path, { visibility: 'public' }), 403, 'M_FORBIDDEN');
    await join(bob, roomId);
    err(await as(bob).put(path, { visibility: 'public' }), 403, 'M_FORBIDDEN');
    assert.deepEqual(ok(await as(undefined).get(path)), { visibility: 'private' });

    // `visibility` defaults to public.
    assert.deepEqual(ok(await as(alice).put(path, {})), {});
    assert.deepEqual(ok(await as(undefined).get(path)), { visibility: 'public' });
    assert.equal(chunkIds(ok(await as(undefined).get('/publicRooms'))).includes(roomId), true);

    // A server admin need not be in the room.
    ok(await as(admin).put(path, { visibility: 'private' }));
    assert.deepEqual(ok(await as(undefined).get(path)), { visibility: 'private' });
    assert.equal(chunkIds(ok(await as(undefined).get('/publicRooms'))).includes(roomId), false);

    const unknown = `/directory/list/room/${enc(`!nope:${SERVER_NAME}`)}`;
    err(await as(undefined).get(unknown), 404, 'M_NOT_FOUND');
    err(await as(alice).put(unknown, { visibility: 'public' }), 404, 'M_NOT_FOUND');
    err(await as(alice).put(path, { visibility: 'hidden' }), 400, 'M_BAD_JSON');
    err(await as(undefined).put(path, { visibility: 'public' }), 401, 'M_MISSING_TOKEN');
  });

  it('forgets a room only after leaving it', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    await join(bob, roomId);
    const forget = (u: TestUser) => as(u).post(`/rooms/${enc(roomId)}/forget`);
    err(await forget(bob), 400, 'M_UNKNOWN');
    err(await forget(alice), 400, 'M_UNKNOWN');
    ok(await as(bob).post(`/rooms/${enc(roomId)}/leave`));
    assert.deepEqual(ok(await forget(bob)), {});
    assert.deepEqual(ok(await forget(bob)), {}, 'forgetting twice is fine');
    // Never a member: nothing to forget, not an error (as Synapse).
    assert.deepEqual(ok(await forget(carol)), {});
    err(await as(bob).post('/rooms/not-a-room/forget'), 400, 'M_INVALID_PARAM');
  });

  it('reports events, rooms and users, with 404 for what does not exist', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const other = await create(alice, { preset: 'public_chat' });
    await join(bob, roomId);
    const sent = ok(await as(alice).put(`/rooms/${enc(roomId)}/send/m.room.message/r1`, { msgtype: 'm.text', body: 'spam' }));
    const eventId = String(sent.event_id);
    const reportEvent = (u: TestUser, r: string, e: string, body: Record<string, unknown> = { reason: 'spam' }) =>
      as(u).post(`/rooms/${enc(r)}/report/${enc(e)}`, body);

    assert.deepEqual(ok(await reportEvent(bob, roomId, eventId)), {});
    assert.deepEqual(ok(await reportEvent(bob, roomId, eventId, { score: -100 })), {}, 'reason is optional; the legacy score is accepted');
    err(await reportEvent(carol, roomId, eventId), 404, 'M_NOT_FOUND');
    err(await reportEvent(bob, roomId, `$nothing-${Date.now()}`), 404, 'M_NOT_FOUND');
    err(await reportEvent(alice, other, eventId), 404, 'M_NOT_FOUND');
    err(await reportEvent(bob, `!nope:${SERVER_NAME}`, eventId), 404, 'M_NOT_FOUND');
    err(await reportEvent(bob, roomId, eventId, { score: 5 }), 400, 'M_BAD_JSON');

    // A room may be reported without being in it.
    assert.deepEqual(ok(await as(carol).post(`/rooms/${enc(roomId)}/report`, { reason: '' })), {});
    err(await as(carol).post(`/rooms/${enc(`!nope:${SERVER_NAME}`)}/report`, { reason: 'x' }), 404, 'M_NOT_FOUND');
    err(await as(carol).post(`/rooms/${enc(roomId)}/report`, {}), 400, 'M_MISSING_PARAM');

    assert.deepEqual(ok(await as(carol).post(`/users/${enc(alice.userId)}/report`, { reason: 'rude' })), {});
    assert.deepEqual(ok(await as(carol).post(`/users/${enc('@someone:elsewhere.example')}/report`, { reason: 'rude' })), {});
    err(await as(carol).post(`/users/${enc(`@ghost:${SERVER_NAME}`)}/report`, { reason: 'rude' }), 404, 'M_NOT_FOUND');
    err(await as(carol).post(`/users/${enc('not-a-user')}/report`, { reason: 'rude' }), 400, 'M_INVALID_PARAM');
    err(await s.call('POST', `${V3}/users/${enc(alice.userId)}/report`, { body: { reason: 'x' } }), 401, 'M_MISSING_TOKEN');
  });
});
