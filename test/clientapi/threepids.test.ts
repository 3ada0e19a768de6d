/**
 * The 3PID endpoints of a server without 3PID support: each gives the spec's truthful answer
 * (empty list, medium not supported, not found, untrusted identity server, no-support unbind)
 * instead of 404 M_UNRECOGNIZED.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const EMAIL = { client_secret: 'monkeys_are_GREAT', email: 'alice@example.org', send_attempt: 1 };
const MSISDN = { client_secret: 'monkeys_are_GREAT', country: 'GB', phone_number: '07700900001', send_attempt: 1 };
const BIND = { client_secret: 'd0nt-T3ll', id_server: 'id.example.org', id_access_token: 'abc123_OpaqueString', sid: 'abc123987' };

/** `[status, errcode]` of a response, for one-line assertions. */
const outcome = (res: Res): [number, unknown] => [res.status, res.body.errcode];

describe('3PID endpoints without 3PID support', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
  });
  after(() => s.stop());

  const post = (path: string, body: unknown, token?: string) => s.call('POST', V3 + path, { body, token });

  describe('requestToken', () => {
    it('refuses registration and account validation: the server sends no email or SMS', async () => {
      for (const prefix of ['/register', '/account/3pid']) {
        const email = await post(`${prefix}/email/requestToken`, EMAIL);
        assert.deepEqual(email.body, { errcode: 'M_THREEPID_MEDIUM_NOT_SUPPORTED', error: 'This server does not send verification emails' });
        assert.equal(email.status, 400);
        const sms = await post(`${prefix}/msisdn/requestToken`, MSISDN);
        assert.deepEqual(sms.body, { errcode: 'M_THREEPID_MEDIUM_NOT_SUPPORTED', error: 'This server does not send verification SMS messages' });
        assert.equal(sms.status, 400);
      }
    });

    it('answers a password reset with M_THREEPID_NOT_FOUND: no account has an address', async () => {
      const email = await post('/account/password/email/requestToken', EMAIL);
      assert.deepEqual(outcome(email), [400, 'M_THREEPID_NOT_FOUND']);
      const sms = await post('/account/password/msisdn/requestToken', MSISDN);
      assert.deepEqual(outcome(sms), [400, 'M_THREEPID_NOT_FOUND']);
      assert.notEqual(email.body.error, sms.body.error, 'each names its medium');
    });

    it('needs no access token, and accepts one', async () => {
      const withToken = await post('/account/3pid/email/requestToken', EMAIL, alice.accessToken);
      assert.deepEqual(outcome(withToken), [400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED']);
    });

    it('is also served under r0', async () => {
      const res = await s.call('POST', '/_matrix/client/r0/register/email/requestToken', { body: EMAIL });
      assert.deepEqual(outcome(res), [400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED']);
    });

    it('validates the body first: missing fields, wrong types, a malformed client_secret', async () => {
      const noSecret = await post('/register/email/requestToken', { email: 'a@example.org', send_attempt: 1 });
      assert.deepEqual(noSecret.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'client_secret'" });
      const noAttempt = await post('/account/password/email/requestToken', { client_secret: 'abc', email: 'a@example.org' });
      assert.deepEqual(noAttempt.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'send_attempt'" });
      const noCountry = await post('/register/msisdn/requestToken', { client_secret: 'abc', phone_number: '1', send_attempt: 1 });
      assert.deepEqual(noCountry.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'country'" });
      const noPhone = await post('/account/password/msisdn/requestToken', { client_secret: 'abc', country: 'GB', send_attempt: 1 });
      assert.deepEqual(outcome(noPhone), [400, 'M_MISSING_PARAM']);
      const badAttempt = await post('/register/email/requestToken', { ...EMAIL, send_attempt: 'one' });
      assert.deepEqual(outcome(badAttempt), [400, 'M_BAD_JSON']);
      for (const client_secret of ['', 'has space', 'x'.repeat(256), 'slash/']) {
        const bad = await post('/register/email/requestToken', { ...EMAIL, client_secret });
        assert.deepEqual(outcome(bad), [400, 'M_INVALID_PARAM'], JSON.stringify(client_secret));
      }
      const longest = await post('/register/email/requestToken', { ...EMAIL, client_secret: 'a.=_-Z9'.padEnd(255, 'x') });
      assert.deepEqual(outcome(longest), [400, 'M_THREEPID_MEDIUM_NOT_SUPPORTED'], 'a 255-character secret of the grammar is valid');
    });
  });

  describe('/account/3pid*', () => {
    it('lists no third-party identifiers', async () => {
      const res = await s.call('GET', `${V3}/account/3pid`, { token: alice.accessToken });
      assert.deepEqual([res.status, res.body], [200, { threepids: [] }]);
    });

    it('requires an access token on every /account/3pid route', async () => {
      const get = await s.call('GET', `${V3}/account/3pid`);
      assert.deepEqual(outcome(get), [401, 'M_MISSING_TOKEN']);
      const bodies: Record<string, unknown> = {
        '': { three_pid_creds: BIND },
        '/add': { client_secret: 'abc', sid: 'abc' },
        '/bind': BIND,
        '/delete': { medium: 'email', address: 'a@example.org' },
        '/unbind': { medium: 'email', address: 'a@example.org' },
      };
      for (const [suffix, body] of Object.entries(bodies)) {
        assert.deepEqual(outcome(await post(`/account/3pid${suffix}`, body)), [401, 'M_MISSING_TOKEN'], suffix);
        assert.deepEqual(outcome(await post(`/account/3pid${suffix}`, body, 'not-a-token')), [401, 'M_UNKNOWN_TOKEN'], suffix);
      }
    });

    it('runs UIA on /add, then fails: the sid names no validation session', async () => {
      const body = { client_secret: 'd0nt-T3ll', sid: 'abc123987' };
      const first = await post('/account/3pid/add', body, alice.accessToken);
      assert.equal(first.status, 401);
      assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
      const session = first.body.session;
      assert.equal(typeof session, 'string');
      const wrong = await post('/account/3pid/add', { ...body, auth: { ...passwordAuth(alice, String(session)), password: 'nope' } }, alice.accessToken);
      assert.deepEqual(outcome(wrong), [401, 'M_FORBIDDEN']);
      const authed = await post('/account/3pid/add', { ...body, auth: passwordAuth(alice, String(session)) }, alice.accessToken);
      assert.deepEqual(outcome(authed), [400, 'M_THREEPID_AUTH_FAILED']);
      assert.match(String(authed.body.error), /'abc123987'/);
    });

    it('checks /add’s body before UIA and its client_secret after', async () => {
      const missing = await post('/account/3pid/add', { client_secret: 'abc' }, alice.accessToken);
      assert.deepEqual(missing.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'sid'" });
      const badSecret = await post('/account/3pid/add', { client_secret: 'no spaces', sid: 's', auth: passwordAuth(alice) }, alice.accessToken);
      assert.deepEqual(outcome(badSecret), [400, 'M_INVALID_PARAM']);
      const oddSid = await post('/account/3pid/add', { client_secret: 'ok', sid: 'not a sid', auth: passwordAuth(alice) }, alice.accessToken);
      assert.deepEqual(outcome(oddSid), [400, 'M_THREEPID_AUTH_FAILED']);
      assert.doesNotMatch(String(oddSid.body.error), /not a sid/, 'a malformed sid is not echoed');
    });

    it('refuses /bind and the deprecated POST /account/3pid: no identity server is trusted', async () => {
      const bind = await post('/account/3pid/bind', BIND, alice.accessToken);
      assert.deepEqual(outcome(bind), [400, 'M_SERVER_NOT_TRUSTED']);
      assert.match(String(bind.body.error), /"id\.example\.org"/);
      const legacy = await post('/account/3pid', { three_pid_creds: BIND }, alice.accessToken);
      assert.deepEqual(outcome(legacy), [400, 'M_SERVER_NOT_TRUSTED']);
      const { id_access_token: _omitted, ...r05 } = BIND;
      const oldClient = await post('/account/3pid', { three_pid_creds: r05, bind: true }, alice.accessToken);
      assert.deepEqual(outcome(oldClient), [400, 'M_SERVER_NOT_TRUSTED'], 'id_access_token is optional on the deprecated route');
    });

    it('validates /bind and POST /account/3pid bodies', async () => {
      const { id_access_token: _omitted, ...noToken } = BIND;
      const bind = await post('/account/3pid/bind', noToken, alice.accessToken);
      assert.deepEqual(bind.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'id_access_token'" });
      const legacy = await post('/account/3pid', {}, alice.accessToken);
      assert.deepEqual(legacy.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'three_pid_creds'" });
      const nested = await post('/account/3pid', { three_pid_creds: { client_secret: 'abc', id_server: 'x' } }, alice.accessToken);
      assert.deepEqual(nested.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'three_pid_creds.sid'" });
      const badSecret = await post('/account/3pid/bind', { ...BIND, client_secret: '' }, alice.accessToken);
      assert.deepEqual(outcome(badSecret), [400, 'M_INVALID_PARAM']);
    });

    it('answers /delete and /unbind with no-support, with or without an id_server', async () => {
      for (const path of ['/account/3pid/delete', '/account/3pid/unbind']) {
        const plain = await post(path, { medium: 'email', address: 'a@example.org' }, alice.accessToken);
        assert.deepEqual([plain.status, plain.body], [200, { id_server_unbind_result: 'no-support' }], path);
        const named = await post(path, { medium: 'msisdn', address: '447700900001', id_server: 'id.example.org' }, alice.accessToken);
        assert.deepEqual([named.status, named.body], [200, { id_server_unbind_result: 'no-support' }], path);
        const badMedium = await post(path, { medium: 'carrier-pigeon', address: 'x' }, alice.accessToken);
        assert.deepEqual(outcome(badMedium), [400, 'M_BAD_JSON'], path);
        const noAddress = await post(path, { medium: 'email' }, alice.accessToken);
        assert.deepEqual(noAddress.body, { errcode: 'M_MISSING_PARAM', error: "Missing field 'address'" }, path);
      }
    });
  });
});
