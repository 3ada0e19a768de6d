/**
 * `GET /voip/turnServer` on a real monolith: credentials from a shared secret (recomputed here
 * the way coturn checks them), fixed credentials, no TURN configured, and guests.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, okBody, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const PATH = '/_matrix/client/v3/voip/turnServer';
const URIS = ['turn:turn.hs.test:3478?transport=udp', 'turns:turn.hs.test:5349?transport=tcp'];
const TURN_SECRET = 'coturn-static-auth-secret';

/** Registers a guest (the server must allow guests); its access token. */
async function guestToken(server: ClientTestServer): Promise<string> {
  const res = await server.call('POST', '/_matrix/client/v3/register?kind=guest', { body: {} });
  return String(okBody(res).access_token);
}

const registrationWithGuests = { enabled: true, shared_secret: SHARED_SECRET, guests: true };

describe('GET /voip/turnServer with a shared secret', () => {
  let server: ClientTestServer;
  let alice: TestUser;
  before(async () => {
    server = await startClientTestServer({
      registration: registrationWithGuests,
      turn: { uris: URIS, shared_secret: TURN_SECRET, user_lifetime_ms: 2 * 60 * 60 * 1000, allow_guests: false },
    });
    alice = await server.register('alice');
  });
  after(async () => server.stop());

  it('gives credentials coturn accepts: <expiry>:<user ID> and base64(HMAC-SHA1(secret, username))', async () => {
    const beforeS = Math.floor(Date.now() / 1000);
    const body = okBody(await server.call('GET', PATH, { token: alice.accessToken }));
    const afterS = Math.ceil(Date.now() / 1000);
    assert.deepEqual(Object.keys(body).sort(), ['password', 'ttl', 'uris', 'username']);
    assert.deepEqual(body.uris, URIS);
    assert.equal(body.ttl, 7200);
    const username = String(body.username);
    const match = /^(\d+):(.+)$/.exec(username);
    assert.ok(match, username);
    assert.equal(match[2], alice.userId);
    const expiry = Number(match[1]);
    assert.ok(expiry >= beforeS + 7200 && expiry <= afterS + 7200, `expiry ${expiry} is now + 2 h (${beforeS}…${afterS})`);
    assert.equal(body.password, createHmac('sha1', TURN_SECRET).update(username).digest('base64'));
  });

  it('is also served under r0', async () => {
    const body = okBody(await server.call('GET', '/_matrix/client/r0/voip/turnServer', { token: alice.accessToken }));
    assert.deepEqual(body.uris, URIS);
  });

  it('refuses guests with 403 M_FORBIDDEN when turn.allow_guests is false', async () => {
    const res = await server.call('GET', PATH, { token: await guestToken(server) });
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });

  it('needs an access token', async () => {
    const res = await server.call('GET', PATH);
    assert.equal(res.status, 401);
    assert.equal(res.body.errcode, 'M_MISSING_TOKEN');
  });
});

describe('GET /voip/turnServer with fixed credentials', () => {
  let server: ClientTestServer;
  before(async () => {
    server = await startClientTestServer({
      registration: registrationWithGuests,
      turn: { uris: URIS, username: 'turnuser', password: 'turnpass' },
    });
  });
  after(async () => server.stop());

  it('gives every user the configured username and password, ttl the default hour', async () => {
    const bob = await server.register('bob');
    const body = okBody(await server.call('GET', PATH, { token: bob.accessToken }));
    assert.deepEqual(body, { username: 'turnuser', password: 'turnpass', uris: URIS, ttl: 3600 });
  });

  it('serves guests too by default (turn.allow_guests)', async () => {
    const body = okBody(await server.call('GET', PATH, { token: await guestToken(server) }));
    assert.deepEqual(body, { username: 'turnuser', password: 'turnpass', uris: URIS, ttl: 3600 });
  });
});

describe('GET /voip/turnServer without TURN configured', () => {
  let server: ClientTestServer;
  before(async () => {
    server = await startClientTestServer();
  });
  after(async () => server.stop());

  it('answers 404 M_NOT_FOUND (MSC4166), not a 200 missing the required fields', async () => {
    const carol = await server.register('carol');
    const res = await server.call('GET', PATH, { token: carol.accessToken });
    assert.equal(res.status, 404);
    assert.equal(res.body.errcode, 'M_NOT_FOUND');
  });
});
