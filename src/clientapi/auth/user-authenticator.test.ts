import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { pino } from 'pino';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformLastSeenUpdateRequest, QueryAccessTokenResponse } from '../../userapi/api.js';
import { createUserAuthenticator, LAST_SEEN_INTERVAL_MS } from './user-authenticator.js';

const alice = { userId: '@alice:hs.test', deviceId: 'DEV', isGuest: false, isAdmin: true, appserviceId: null, locked: false, suspended: false };

function setup(maxTrackedDevices?: number) {
  let now = 0;
  const seen: PerformLastSeenUpdateRequest[] = [];
  const tokens: Record<string, QueryAccessTokenResponse> = {
    good: { owner: alice, expired: false },
    other: { owner: { ...alice, deviceId: 'DEV2', isAdmin: false, isGuest: true, appserviceId: 'bridge' }, expired: false },
    old: { owner: null, expired: true },
    locked: { owner: { ...alice, deviceId: 'DEV3', locked: true }, expired: false },
    suspended: { owner: { ...alice, deviceId: 'DEV4', suspended: true }, expired: false },
  };
  const auth = createUserAuthenticator({
    userApi: {
      queryAccessToken: async ({ accessToken }) => tokens[accessToken] ?? { owner: null, expired: false },
      performLastSeenUpdate: async (req) => {
        seen.push(req);
        return {};
      },
    },
    logger: pino({ level: 'silent' }),
    now: () => now,
    maxTrackedDevices,
  });
  const req = { ip: '10.0.0.1', headers: { 'user-agent': 'TestClient/1' } } as unknown as FastifyRequest;
  return { auth, seen, req, tick: (ms: number) => (now += ms) };
}

const unknownToken = (soft: boolean) => (e: unknown) =>
  e instanceof MatrixError && e.status === 401 && e.errcode === 'M_UNKNOWN_TOKEN' && (e.body().soft_logout === true) === soft;

describe('user authenticator', () => {
  it('maps a known token to its requester', async () => {
    const { auth, req } = setup();
    assert.deepEqual(await auth.authenticate('good', req), { userId: '@alice:hs.test', deviceId: 'DEV', isGuest: false, isAdmin: true, appserviceId: undefined, suspended: false });
    assert.deepEqual(await auth.authenticate('other', req), { userId: '@alice:hs.test', deviceId: 'DEV2', isGuest: true, isAdmin: false, appserviceId: 'bridge', suspended: false });
    assert.equal((await auth.authenticate('suspended', req)).suspended, true);
  });

  it('answers unknown tokens with M_UNKNOWN_TOKEN and expired ones with soft_logout', async () => {
    const { auth, req } = setup();
    await assert.rejects(auth.authenticate('nope', req), unknownToken(false));
    await assert.rejects(auth.authenticate('old', req), unknownToken(true));
  });

  it('answers a locked account M_USER_LOCKED with soft_logout on all but POST /logout and /logout/all', async () => {
    const { auth, seen } = setup();
    const at = (method: string, url: string | undefined) =>
      ({ ip: '10.0.0.1', headers: {}, method, routeOptions: { url } }) as unknown as FastifyRequest;
    const locked = (e: unknown) =>
      e instanceof MatrixError && e.status === 401 && e.errcode === 'M_USER_LOCKED' && e.body().soft_logout === true;
    await assert.rejects(auth.authenticate('locked', at('GET', '/_matrix/client/v3/sync')), locked);
    await assert.rejects(auth.authenticate('locked', at('GET', '/_matrix/client/v3/logout')), locked);
    await assert.rejects(auth.authenticate('locked', at('POST', '/_matrix/client/v3/logout/other')), locked);
    await assert.rejects(auth.authenticate('locked', at('POST', undefined)), locked);
    assert.equal((await auth.authenticate('locked', at('POST', '/_matrix/client/v3/logout'))).deviceId, 'DEV3');
    assert.equal((await auth.authenticate('locked', at('POST', '/_matrix/client/r0/logout/all'))).deviceId, 'DEV3');
    await new Promise((r) => setImmediate(r));
    // Refused requests are not sightings of the device.
    assert.equal(seen.length, 1);
  });

  it('records last-seen at most once a minute per device', async () => {
    const { auth, seen, req, tick } = setup();
    await auth.authenticate('good', req);
    await auth.authenticate('good', req);
    await auth.authenticate('other', req);
    tick(LAST_SEEN_INTERVAL_MS - 1);
    await auth.authenticate('good', req);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen, [
      { userId: '@alice:hs.test', deviceId: 'DEV', ip: '10.0.0.1', userAgent: 'TestClient/1' },
      { userId: '@alice:hs.test', deviceId: 'DEV2', ip: '10.0.0.1', userAgent: 'TestClient/1' },
    ]);
    tick(1);
    await auth.authenticate('good', req);
    await new Promise((r) => setImmediate(r));
    assert.equal(seen.length, 3);
  });

  it('forgets the least recently seen devices beyond its bound', async () => {
    const { auth, seen, req } = setup(1);
    await auth.authenticate('good', req);
    await auth.authenticate('other', req); // evicts DEV
    await auth.authenticate('good', req); // so DEV is written again
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(seen.map((s) => s.deviceId), ['DEV', 'DEV2', 'DEV']);
  });
});
