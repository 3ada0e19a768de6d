/**
 * `POST /_matrix/client/v3/user/{userId}/openid/request_token` on a real monolith: the token it
 * issues is one the userapi knows as the user's OpenID token (the federation `userinfo` side runs
 * end to end in `test/federationapi/federation-directory.test.ts`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

describe('POST /user/{userId}/openid/request_token', () => {
  let server: ClientTestServer;
  let ann: TestUser;
  let bo: TestUser;
  const request = (u: TestUser | undefined, userId: string, body: unknown = {}) =>
    server.call('POST', `/_matrix/client/v3/user/${encodeURIComponent(userId)}/openid/request_token`, { token: u?.accessToken, body });

  before(async () => {
    server = await startClientTestServer();
    ann = await server.register('ann');
    bo = await server.register('bo');
  });
  after(() => server?.stop());

  it('issues a Bearer token for this server, valid for an hour, a new one each time', async () => {
    const res = await request(ann, ann.userId);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'matrix_server_name', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.matrix_server_name, SERVER_NAME);
    assert.equal(res.body.expires_in, 3600);
    assert.match(String(res.body.access_token), /^axo_[A-Za-z0-9_-]{43}$/);
    const again = await request(ann, ann.userId, { 'org.example.future': true });
    assert.equal(again.status, 200);
    assert.notEqual(again.body.access_token, res.body.access_token);
  });

  it('is not an access token: the client API refuses it', async () => {
    const { body } = await request(bo, bo.userId);
    const whoami = await server.call('GET', '/_matrix/client/v3/account/whoami', { token: String(body.access_token) });
    assert.equal(whoami.status, 401);
    assert.equal(whoami.body.errcode, 'M_UNKNOWN_TOKEN');
  });

  it("refuses another user's token: 403 M_FORBIDDEN", async () => {
    const res = await request(ann, bo.userId);
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });

  it('needs an access token', async () => {
    const res = await request(undefined, ann.userId);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_MISSING_TOKEN');
  });
});
