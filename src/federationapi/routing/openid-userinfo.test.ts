import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { openIdUserinfoRoutes } from './openid-userinfo.js';
import { queryTestApp, signedGet } from './test-query-app.js';

describe('GET /_matrix/federation/v1/openid/userinfo', () => {
  const asked: string[] = [];
  const app = queryTestApp(
    () =>
      openIdUserinfoRoutes({
        userApi: {
          queryOpenIdToken: async ({ token }) => {
            asked.push(token);
            return { userId: token === 'axo_good' ? '@alice:us.test' : null };
          },
        },
      }),
    {},
  );
  after(() => app.close());
  const get = (qs: string, signed = false) => signedGet(app, `/_matrix/federation/v1/openid/userinfo${qs}`, signed);

  it('answers the user a token was issued to, to anyone (no X-Matrix signature needed)', async () => {
    assert.deepEqual(await get('?access_token=axo_good'), { status: 200, body: { sub: '@alice:us.test' } });
    assert.deepEqual(asked.at(-1), 'axo_good');
    assert.deepEqual(await get('?access_token=axo_good', true), { status: 200, body: { sub: '@alice:us.test' } });
  });

  it('is 401 M_UNKNOWN_TOKEN for an unknown or expired token', async () => {
    const res = await get('?access_token=axo_bad');
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal(res.body.soft_logout, undefined);
  });

  it('is 400 without a token, without asking the userapi', async () => {
    const before = asked.length;
    assert.equal((await get('')).status, 400);
    assert.equal(asked.length, before);
  });
});
