/**
 * Spaces over real HTTP against an in-process monolith: `GET /v1/rooms/{roomId}/hierarchy`
 * (depth-first order, who sees which room, `max_depth`, `suggested_only`, pagination, errors) and
 * `GET /v1/room_summary/{roomIdOrAlias}` (members, non-members, anonymous, private rooms, aliases).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V1 = '/_matrix/client/v1';
const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

describe('spaces: hierarchy and room summary', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  /** The space tree alice builds; see `before`. */
  const r: Record<'space' | 'r1' | 'sub' | 'r2' | 'p2' | 'priv' | 'world' | 'restricted', string> = {} as never;

  const call = (method: string, path: string, u: TestUser | undefined, body?: unknown) => s.call(method, path, { token: u?.accessToken, body });
  const ok = (res: Res): Record<string, unknown> => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const err = (res: Res, status: number, errcode: string): void => assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
  const create = async (body: Record<string, unknown>): Promise<string> => String(ok(await call('POST', `${V3}/createRoom`, alice, body)).room_id);
  const link = async (parent: string, childId: string, content: Record<string, unknown>) =>
    ok(await call('PUT', `${V3}/rooms/${enc(parent)}/state/m.space.child/${enc(childId)}`, alice, content));

  type Room = Record<string, unknown> & { room_id: string; children_state: Record<string, unknown>[] };
  const hierarchy = (u: TestUser | undefined, roomId: string, qs = '') => call('GET', `${V1}/rooms/${enc(roomId)}/hierarchy${qs}`, u);
  const rooms = async (u: TestUser, roomId: string, qs = ''): Promise<Room[]> => ok(await hierarchy(u, roomId, qs)).rooms as Room[];
  const ids = async (u: TestUser, roomId: string, qs = ''): Promise<string[]> => (await rooms(u, roomId, qs)).map((x) => x.room_id);
  const summary = (u: TestUser | undefined, idOrAlias: string) => call('GET', `${V1}/room_summary/${enc(idOrAlias)}`, u);

  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
    const space = { creation_content: { type: 'm.space' } };
    r.space = await create({ preset: 'public_chat', name: 'The space', room_alias_name: 'space', ...space });
    r.r1 = await create({ preset: 'public_chat', name: 'Room one' });
    r.sub = await create({ preset: 'public_chat', name: 'Subspace', ...space });
    r.r2 = await create({ preset: 'public_chat', name: 'Room two' });
    r.p2 = await create({ preset: 'private_chat', name: 'Private in subspace' });
    r.priv = await create({ preset: 'private_chat', name: 'Private' });
    r.world = await create({
      preset: 'private_chat',
      name: 'Readable',
      initial_state: [
        { type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } },
        { type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
      ],
    });
    r.restricted = await create({
      preset: 'private_chat',
      name: 'Space members only',
      initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: r.space }] } }],
    });
    const via = [SERVER_NAME];
    await link(r.space, r.r1, { via, order: 'a', suggested: true });
    await link(r.space, r.sub, { via, order: 'b', suggested: true });
    await link(r.space, r.priv, { via, order: 'c' });
    await link(r.space, r.world, { via, order: 'd' });
    await link(r.space, r.restricted, { via, order: 'e' });
    await link(r.space, '!elsewhere:remote.example', { via: ['remote.example'], order: 'f' });
    await link(r.space, r.r2, {}); // unlinked: no via
    await link(r.sub, r.r2, { via, suggested: true });
    await link(r.sub, r.p2, { via });
    await link(r.sub, r.space, { via }); // a loop back to the top
    ok(await call('POST', `${V3}/join/${enc(r.space)}`, bob));
  });
  after(() => s.stop());

  it('walks the tree depth-first, each visible room once, with each room fields and children', async () => {
    assert.deepEqual(await ids(alice, r.space), [r.space, r.r1, r.sub, r.r2, r.p2, r.priv, r.world, r.restricted]);
    // bob is in the space, so the restricted room is his to see; the private rooms are not.
    assert.deepEqual(await ids(bob, r.space), [r.space, r.r1, r.sub, r.r2, r.world, r.restricted]);
    // carol is in nothing.
    assert.deepEqual(await ids(carol, r.space), [r.space, r.r1, r.sub, r.r2, r.world]);

    const [top, , sub] = await rooms(bob, r.space);
    const { children_state: children, ...fields } = top!;
    assert.deepEqual(fields, {
      room_id: r.space,
      num_joined_members: 2,
      world_readable: false,
      guest_can_join: false,
      name: 'The space',
      canonical_alias: `#space:${SERVER_NAME}`,
      join_rule: 'public',
      room_type: 'm.space',
      room_version: '11',
    });
    assert.deepEqual(
      children.map((c) => c.state_key),
      [r.r1, r.sub, r.priv, r.world, r.restricted, '!elsewhere:remote.example'],
      'ordered by `order`; the child without via is left out',
    );
    const first = children[0]!;
    assert.deepEqual(Object.keys(first).sort(), ['content', 'origin_server_ts', 'sender', 'state_key', 'type']);
    assert.deepEqual([first.type, first.sender, first.content], ['m.space.child', alice.userId, { via: [SERVER_NAME], order: 'a', suggested: true }]);
    assert.equal(typeof first.origin_server_ts, 'number');
    assert.deepEqual(sub!.children_state.map((c) => c.state_key).sort(), [r.r2, r.p2, r.space].sort());

    const all = await rooms(bob, r.space);
    const byId = new Map(all.map((x) => [x.room_id, x]));
    assert.deepEqual(byId.get(r.r1)!.children_state, [], 'not a space: no children');
    assert.equal(byId.get(r.world)!.encryption, 'm.megolm.v1.aes-sha2');
    assert.equal(byId.get(r.world)!.world_readable, true);
    assert.deepEqual(byId.get(r.restricted)!.allowed_room_ids, [r.space]);
    assert.equal(byId.get(r.restricted)!.join_rule, 'restricted');
  });

  it('stops at max_depth and follows only suggested children when asked', async () => {
    assert.deepEqual(await ids(bob, r.space, '?max_depth=0'), [r.space]);
    assert.deepEqual(await ids(bob, r.space, '?max_depth=1'), [r.space, r.r1, r.sub, r.world, r.restricted]);
    const suggested = await rooms(bob, r.space, '?suggested_only=true');
    assert.deepEqual(suggested.map((x) => x.room_id), [r.space, r.r1, r.sub, r.r2]);
    assert.deepEqual(suggested[0]!.children_state.map((c) => c.state_key), [r.r1, r.sub], 'only the suggested children are shown');
    // A subspace can be the root too.
    assert.deepEqual(await ids(bob, r.sub), [r.sub, r.r2, r.space, r.r1, r.world, r.restricted]);
  });

  it('pages with limit and next_batch through the whole tree once', async () => {
    const whole = await ids(alice, r.space);
    for (const limit of [1, 3]) {
      const seen: string[] = [];
      let from: string | undefined;
      let pages = 0;
      do {
        const body = ok(await hierarchy(alice, r.space, `?limit=${limit}&max_depth=5${from ? `&from=${enc(from)}` : ''}`));
        const page = (body.rooms as Room[]).map((x) => x.room_id);
        assert.ok(page.length <= limit);
        seen.push(...page);
        from = body.next_batch as string | undefined;
        pages++;
      } while (from !== undefined);
      assert.deepEqual(seen, whole, `limit ${limit}`);
      assert.equal(pages, Math.ceil(whole.length / limit));
    }
  });

  it('refuses what it must: hidden or unknown roots, bad parameters, changed pagination, no token', async () => {
    err(await hierarchy(bob, r.priv), 403, 'M_FORBIDDEN');
    err(await hierarchy(bob, `!nowhere:${SERVER_NAME}`), 403, 'M_FORBIDDEN');
    err(await hierarchy(bob, 'not-a-room'), 400, 'M_INVALID_PARAM');
    err(await hierarchy(undefined, r.space), 401, 'M_MISSING_TOKEN');
    err(await hierarchy(bob, r.space, '?limit=0'), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.space, '?max_depth=-1'), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.space, '?limit=abc'), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.space, '?from=garbage'), 400, 'M_INVALID_PARAM');

    const first = ok(await hierarchy(bob, r.space, '?limit=1&max_depth=2'));
    const from = enc(String(first.next_batch));
    ok(await hierarchy(bob, r.space, `?from=${from}&max_depth=2`));
    err(await hierarchy(bob, r.space, `?from=${from}&max_depth=3`), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.space, `?from=${from}`), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.space, `?from=${from}&max_depth=2&suggested_only=true`), 400, 'M_INVALID_PARAM');
    err(await hierarchy(bob, r.sub, `?from=${from}&max_depth=2`), 400, 'M_INVALID_PARAM');
  });

  it('summarises a room for members, non-members and anonymous callers where allowed', async () => {
    const joined = ok(await summary(bob, r.space));
    assert.deepEqual(joined, {
      room_id: r.space,
      num_joined_members: 2,
      world_readable: false,
      guest_can_join: false,
      name: 'The space',
      canonical_alias: `#space:${SERVER_NAME}`,
      join_rule: 'public',
      room_type: 'm.space',
      room_version: '11',
      membership: 'join',
    });
    assert.deepEqual(ok(await summary(bob, `#space:${SERVER_NAME}`)), joined, 'by alias');
    assert.deepEqual(ok(await call('GET', `${V1}/room_summary/${enc(r.space)}?via=${SERVER_NAME}&via=other.example`, bob)), joined, 'via is accepted');
    assert.deepEqual(ok(await s.call('GET', `/_matrix/client/unstable/im.nheko.summary/rooms/${enc(r.space)}/summary`, { token: bob.accessToken })), joined);

    const publicRoom = ok(await summary(carol, r.r1));
    assert.deepEqual([publicRoom.name, publicRoom.membership, publicRoom.join_rule], ['Room one', 'leave', 'public']);
    const anonymous = ok(await summary(undefined, r.world));
    assert.deepEqual(anonymous, {
      room_id: r.world,
      num_joined_members: 1,
      world_readable: true,
      // The private_chat preset lets guests join.
      guest_can_join: true,
      name: 'Readable',
      join_rule: 'invite',
      encryption: 'm.megolm.v1.aes-sha2',
      room_version: '11',
    });
    assert.equal(ok(await summary(bob, r.restricted)).membership, 'leave', 'restricted, bob is in the allowed space');

    err(await summary(bob, r.priv), 404, 'M_NOT_FOUND');
    err(await summary(undefined, r.priv), 404, 'M_NOT_FOUND');
    err(await summary(undefined, r.restricted), 404, 'M_NOT_FOUND');
    err(await summary(carol, r.restricted), 404, 'M_NOT_FOUND');
    err(await summary(bob, `!nowhere:${SERVER_NAME}`), 404, 'M_NOT_FOUND');
    err(await summary(bob, `#nowhere:${SERVER_NAME}`), 404, 'M_NOT_FOUND');
    err(await summary(bob, 'neither'), 400, 'M_INVALID_PARAM');
  });

  it('shows a private room to an invited user, in the hierarchy and the summary', async () => {
    ok(await call('POST', `${V3}/rooms/${enc(r.priv)}/invite`, alice, { user_id: carol.userId }));
    assert.equal(ok(await summary(carol, r.priv)).membership, 'invite');
    assert.deepEqual(await ids(carol, r.space, '?max_depth=1'), [r.space, r.r1, r.sub, r.priv, r.world]);
    assert.deepEqual(await ids(carol, r.priv), [r.priv]);
  });
});
