import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ProfileFields, QueryProfileRequest } from '../../userapi/api.js';
import { queryProfileRoutes } from './query-profile.js';
import { queryTestApp, signedGet } from './test-query-app.js';

const PROFILES: Record<string, ProfileFields> = {
  '@alice:us.test': { displayname: 'Alice Liddell', avatar_url: 'mxc://us.test/rabbit', 'org.example.pet': 'cat' },
  '@bare:us.test': {},
};

describe('GET /_matrix/federation/v1/query/profile', () => {
  const asked: QueryProfileRequest[] = [];
  const app = queryTestApp(queryProfileRoutes, {
    userApi: {
      queryProfile: async (req) => {
        asked.push(req);
        const profile = PROFILES[req.userId];
        return { found: profile !== undefined, profile: profile ?? {} };
      },
    },
  });
  after(() => app.close());
  const get = (qs: string, signed = true) => signedGet(app, `/_matrix/federation/v1/query/profile?${qs}`, signed);

  it('answers the whole profile of a local user', async () => {
    const res = await get('user_id=%40alice%3Aus.test');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { displayname: 'Alice Liddell', avatar_url: 'mxc://us.test/rabbit', 'org.example.pet': 'cat' });
    assert.deepEqual(asked.at(-1), { userId: '@alice:us.test' });
  });

  it('answers only the field asked for', async () => {
    assert.deepEqual(await get('user_id=%40alice%3Aus.test&field=displayname'), { status: 200, body: { displayname: 'Alice Liddell' } });
    assert.deepEqual(await get('user_id=%40alice%3Aus.test&field=avatar_url'), { status: 200, body: { avatar_url: 'mxc://us.test/rabbit' } });
    assert.deepEqual(await get('user_id=%40alice%3Aus.test&field=org.example.pet'), { status: 200, body: { 'org.example.pet': 'cat' } });
  });

  it('answers null for an unset display name or avatar, 404 for an unset custom field', async () => {
    assert.deepEqual(await get('user_id=%40bare%3Aus.test&field=displayname'), { status: 200, body: { displayname: null } });
    assert.deepEqual(await get('user_id=%40bare%3Aus.test&field=avatar_url'), { status: 200, body: { avatar_url: null } });
    assert.deepEqual(await get('user_id=%40bare%3Aus.test'), { status: 200, body: {} });
    const res = await get('user_id=%40alice%3Aus.test&field=m.tz');
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });

  it('never reads inherited properties as fields', async () => {
    const res = await get('user_id=%40alice%3Aus.test&field=__proto__');
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });

  it('is 404 M_NOT_FOUND for an unknown local user', async () => {
    const res = await get('user_id=%40nobody%3Aus.test');
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });

  it('is 400 for another server\'s user or a malformed ID, without asking the userapi', async () => {
    const before = asked.length;
    for (const qs of ['user_id=%40alice%3Athem.test', 'user_id=alice', 'user_id=%40alice%3Aus.test%3A8448']) {
      const res = await get(qs);
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.errcode, 'M_INVALID_PARAM', qs);
    }
    assert.equal(asked.length, before);
  });

  it('is 400 without user_id', async () => {
    const res = await get('field=displayname');
    assert.equal(res.status, 400);
  });

  it('needs a signed request', async () => {
    const res = await get('user_id=%40alice%3Aus.test', false);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNAUTHORIZED');
  });
});
