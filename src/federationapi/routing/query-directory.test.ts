import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { queryDirectoryRoutes } from './query-directory.js';
import { queryTestApp, signedGet } from './test-query-app.js';

const ROOMS: Record<string, string> = { '#tea:us.test': '!party:us.test', '#empty:us.test': '!empty:us.test' };
const JOINED: Record<string, string[]> = { '!party:us.test': ['hatter.test', 'us.test', 'hare.test:8448'], '!empty:us.test': [] };

describe('GET /_matrix/federation/v1/query/directory', () => {
  const asked: string[] = [];
  const app = queryTestApp(queryDirectoryRoutes, {
    roomserverApi: {
      queryRoomAlias: async ({ alias }) => {
        asked.push(alias);
        return { roomId: ROOMS[alias] ?? null };
      },
      queryJoinedServers: async ({ roomId }) => ({ serverNames: JOINED[roomId] ?? [] }),
    },
  });
  after(() => app.close());
  const get = (alias: string, signed = true) => signedGet(app, `/_matrix/federation/v1/query/directory?room_alias=${encodeURIComponent(alias)}`, signed);

  it('maps a local alias to its room and the servers of its joined members, ours first', async () => {
    assert.deepEqual(await get('#tea:us.test'), { status: 200, body: { room_id: '!party:us.test', servers: ['us.test', 'hatter.test', 'hare.test:8448'] } });
  });

  it('lists us when no server has joined members', async () => {
    assert.deepEqual(await get('#empty:us.test'), { status: 200, body: { room_id: '!empty:us.test', servers: ['us.test'] } });
  });

  it('is 404 M_NOT_FOUND for an unknown local alias', async () => {
    const res = await get('#nothing:us.test');
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });

  it('is 400 for another server\'s alias or a malformed one, without asking the roomserver', async () => {
    const before = asked.length;
    for (const alias of ['#tea:them.test', 'tea:us.test', '#tea']) {
      const res = await get(alias);
      assert.equal(res.status, 400, alias);
      assert.equal(res.body.errcode, 'M_INVALID_PARAM', alias);
    }
    assert.equal(asked.length, before);
  });

  it('needs a signed request', async () => {
    const res = await get('#tea:us.test', false);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNAUTHORIZED');
  });
});
