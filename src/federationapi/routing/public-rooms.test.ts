import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testPublicRoomSummary } from '../../internal/roomsummary/test-room-summary.js';
import type { PublicRoomSummary } from '../../roomserver/api.js';
import { publicRoomsRoutes } from './public-rooms.js';
import { queryTestApp, signedGet } from './test-query-app.js';

const room = (roomId: string, members: number, extra: Partial<PublicRoomSummary> = {}): PublicRoomSummary =>
  testPublicRoomSummary(roomId, members, { joinRule: 'public', ...extra });

const ROOMS = [
  room('!small:us.test', 1, { name: 'Knitting', topic: 'purl' }),
  room('!big:us.test', 9, { name: 'Lobby', canonicalAlias: '#lobby:us.test', avatarUrl: 'mxc://us.test/a', worldReadable: true, guestCanJoin: true }),
  room('!space:us.test', 4, { name: 'Our space', roomType: 'm.space' }),
];

describe('GET and POST /_matrix/federation/v1/publicRooms', () => {
  let asked = 0;
  const app = queryTestApp(
    () =>
      publicRoomsRoutes({
        roomserverApi: {
          queryPublicRoomsSummaries: async (req) => {
            asked++;
            assert.deepEqual(req, {});
            return { rooms: ROOMS };
          },
          queryRoomSummaries: () => assert.fail('not used'),
          queryJoinedServers: () => assert.fail('not used'),
        },
        userApi: { queryOpenIdToken: () => assert.fail('not used') },
      }),
    {},
  );
  after(() => app.close());
  const get = (qs = '', signed = true) => signedGet(app, `/_matrix/federation/v1/publicRooms${qs}`, signed);
  const post = async (body: unknown, signed = true) => {
    const res = await app.inject({
      method: 'POST',
      url: '/_matrix/federation/v1/publicRooms',
      payload: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...(signed ? { authorization: 'X-Matrix origin="them.test",key="ed25519:k",sig="x"' } : {}) },
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const ids = (body: Record<string, unknown>) => (body.chunk as { room_id: string }[]).map((c) => c.room_id);

  it('lists the published rooms, most members first, with exactly the fields they have', async () => {
    const res = await get();
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      chunk: [
        {
          room_id: '!big:us.test',
          num_joined_members: 9,
          world_readable: true,
          guest_can_join: true,
          name: 'Lobby',
          canonical_alias: '#lobby:us.test',
          avatar_url: 'mxc://us.test/a',
          join_rule: 'public',
        },
        { room_id: '!space:us.test', num_joined_members: 4, world_readable: false, guest_can_join: false, name: 'Our space', join_rule: 'public', room_type: 'm.space' },
        { room_id: '!small:us.test', num_joined_members: 1, world_readable: false, guest_can_join: false, name: 'Knitting', topic: 'purl', join_rule: 'public' },
      ],
      total_room_count_estimate: 3,
    });
  });

  it('pages with limit and since, forwards and back', async () => {
    const p1 = await get('?limit=2');
    assert.deepEqual(ids(p1.body), ['!big:us.test', '!space:us.test']);
    assert.equal(typeof p1.body.next_batch, 'string');
    assert.equal(p1.body.prev_batch, undefined);
    const p2 = await get(`?limit=2&since=${String(p1.body.next_batch)}`);
    assert.deepEqual(ids(p2.body), ['!small:us.test']);
    assert.equal(p2.body.next_batch, undefined);
    const back = await get(`?limit=2&since=${String(p2.body.prev_batch)}`);
    assert.deepEqual(ids(back.body), ['!big:us.test', '!space:us.test']);
    const viaPost = await post({ limit: 2, since: p1.body.next_batch });
    assert.deepEqual(viaPost.body, p2.body);
  });

  it('filters by search term and room type on POST', async () => {
    assert.deepEqual(ids((await post({ filter: { generic_search_term: 'LOBBY' } })).body), ['!big:us.test']);
    assert.deepEqual(ids((await post({ filter: { room_types: ['m.space'] } })).body), ['!space:us.test']);
    assert.deepEqual(ids((await post({ filter: { room_types: [null] } })).body), ['!big:us.test', '!small:us.test']);
    const searched = await post({ filter: { generic_search_term: 'purl' }, include_all_networks: true });
    assert.deepEqual(searched.body, { chunk: [{ room_id: '!small:us.test', num_joined_members: 1, world_readable: false, guest_can_join: false, name: 'Knitting', topic: 'purl', join_rule: 'public' }], total_room_count_estimate: 1 });
  });

  it('finds no rooms in a third-party network, and refuses a network named with include_all_networks', async () => {
    const before = asked;
    assert.deepEqual((await get('?third_party_instance_id=irc-libera')).body, { chunk: [], total_room_count_estimate: 0 });
    assert.deepEqual((await post({ third_party_instance_id: 'irc-libera' })).body, { chunk: [], total_room_count_estimate: 0 });
    assert.equal(asked, before, 'no need to read the directory');
    assert.equal((await get('?include_all_networks=true')).body.total_room_count_estimate, 3);
    const both = await post({ include_all_networks: true, third_party_instance_id: 'irc-libera' });
    assert.equal(both.status, 400);
    assert.equal(both.body.errcode, 'M_INVALID_PARAM');
  });

  it('refuses a pagination token it did not make', async () => {
    const res = await get('?since=nonsense');
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_INVALID_PARAM');
  });

  it('needs a signed request, on both forms', async () => {
    assert.equal((await get('', false)).status, 401);
    assert.equal((await post({}, false)).status, 401);
  });
});
