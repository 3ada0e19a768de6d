import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import Type from 'typebox';
import { MatrixError } from '../errors/matrix-error.js';
import { createHttpServer } from './create-http-server.js';
import { RateLimiter } from './rate-limiter.js';
import { defineRoute, jsonResponse, type Requester } from './route.js';

const echo = defineRoute({
  method: 'PUT',
  path: '/_matrix/client/v3/echo/:thing',
  auth: 'none',
  rateLimit: 'none',
  schema: {
    params: Type.Object({ thing: Type.String() }),
    query: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1 })) }),
    body: Type.Object({ msg: Type.String(), count: Type.Optional(Type.Integer()) }),
  },
  handler: async ({ params, query, body }) => ({ thing: params.thing, limit: query.limit ?? null, msg: body.msg }),
});
const created = defineRoute({
  method: 'POST',
  path: '/_matrix/client/v3/created',
  auth: 'none',
  rateLimit: 'default',
  schema: {},
  handler: async () => jsonResponse(201, { ok: true }, { 'x-extra': 'yes' }),
});
const forbidden = defineRoute({
  method: 'GET',
  path: '/_matrix/client/v3/forbidden',
  auth: 'none',
  rateLimit: 'none',
  schema: {},
  handler: async () => {
    throw MatrixError.forbidden('You shall not pass');
  },
});
const crash = defineRoute({
  method: 'GET',
  path: '/_matrix/client/v3/crash',
  auth: 'none',
  rateLimit: 'none',
  schema: {},
  handler: async () => {
    throw new Error('secret internal detail');
  },
});
const whoami = defineRoute({
  method: 'GET',
  path: '/_matrix/client/v3/whoami',
  auth: 'user',
  rateLimit: 'none',
  schema: {},
  handler: async ({ requester }) => ({ user_id: requester?.userId }),
});
const media = defineRoute({
  method: 'GET',
  path: '/_matrix/media/v3/config',
  auth: 'none',
  rateLimit: 'none',
  schema: {},
  handler: async () => ({ 'm.upload.size': 1 }),
});

const alice: Requester = { userId: '@alice:test', deviceId: 'D', isGuest: false, isAdmin: false, appserviceId: undefined };

function server(opts: { accessTokenInQuery?: boolean; rateLimiter?: RateLimiter } = {}) {
  const app = createHttpServer({
    logger: pino({ level: 'silent' }),
    routes: [echo, created, forbidden, crash, whoami, media],
    maxBodyBytes: 2048,
    trustProxy: false,
    cors: true,
    accessTokenInQuery: opts.accessTokenInQuery ?? true,
    rateLimiter: opts.rateLimiter,
    authenticators: {
      user: {
        authenticate: async (token) => {
          if (token !== 'good') throw MatrixError.unknownToken();
          return alice;
        },
      },
    },
  });
  after(() => app.close());
  return app;
}

describe('HTTP server', () => {
  it('serves v3 client and media routes under r0 too', async () => {
    const app = server();
    for (const prefix of ['v3', 'r0']) {
      const res = await app.inject({ method: 'PUT', url: `/_matrix/client/${prefix}/echo/x?limit=3`, payload: { msg: 'hi' } });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { thing: 'x', limit: 3, msg: 'hi' });
      const m = await app.inject({ method: 'GET', url: `/_matrix/media/${prefix}/config` });
      assert.deepEqual(m.json(), { 'm.upload.size': 1 });
    }
  });

  it('adds CORS headers to every response and answers OPTIONS preflights', async () => {
    const app = server();
    const pre = await app.inject({ method: 'OPTIONS', url: '/_matrix/client/v3/anything/at/all' });
    assert.equal(pre.statusCode, 200);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-methods']), /PUT/);
    assert.match(String(pre.headers['access-control-allow-headers']), /Authorization/);
    for (const url of ['/_matrix/client/v3/forbidden', '/_matrix/client/v3/nope']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.headers['access-control-allow-origin'], '*', url);
    }
  });

  it('answers unknown endpoints with 404 and known paths with the wrong method with 405', async () => {
    const app = server();
    const nf = await app.inject({ method: 'GET', url: '/_matrix/client/v3/no/such/thing' });
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.json().errcode, 'M_UNRECOGNIZED');
    const wm = await app.inject({ method: 'GET', url: '/_matrix/client/r0/echo/x' });
    assert.equal(wm.statusCode, 405);
    assert.equal(wm.json().errcode, 'M_UNRECOGNIZED');
  });

  it('maps malformed JSON to M_NOT_JSON and oversize bodies to M_TOO_LARGE', async () => {
    const app = server();
    const bad = await app.inject({
      method: 'PUT',
      url: '/_matrix/client/v3/echo/x',
      headers: { 'content-type': 'application/json' },
      payload: '{"msg": ',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { errcode: 'M_NOT_JSON', error: 'Request body is not valid JSON' });
    const big = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x', payload: { msg: 'x'.repeat(4000) } });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().errcode, 'M_TOO_LARGE');
  });

  it('parses JSON whatever the content type, and an empty body as {}', async () => {
    const app = server();
    const res = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x', headers: { 'content-type': 'text/plain' }, payload: '{"msg":"plain"}' });
    assert.equal(res.json().msg, 'plain');
    const empty = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x', payload: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(empty.json(), { errcode: 'M_MISSING_PARAM', error: "Missing field 'msg'" });
  });

  it('names the field of a schema violation', async () => {
    const app = server();
    const wrongType = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x', payload: { msg: 5 } });
    assert.equal(wrongType.statusCode, 400);
    assert.deepEqual(wrongType.json(), { errcode: 'M_BAD_JSON', error: "Invalid field 'msg' must be string" });
    const noCoercion = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x', payload: { msg: 'a', count: '5' } });
    assert.equal(noCoercion.json().errcode, 'M_BAD_JSON', 'bodies are not coerced: "5" is not an integer');
    const badQuery = await app.inject({ method: 'PUT', url: '/_matrix/client/v3/echo/x?limit=zero', payload: { msg: 'a' } });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json().errcode, 'M_INVALID_PARAM');
    assert.match(badQuery.json().error, /query parameter 'limit'/);
  });

  it('renders MatrixErrors with their status, and hides internal errors', async () => {
    const app = server();
    const f = await app.inject({ method: 'GET', url: '/_matrix/client/v3/forbidden' });
    assert.equal(f.statusCode, 403);
    assert.deepEqual(f.json(), { errcode: 'M_FORBIDDEN', error: 'You shall not pass' });
    const c = await app.inject({ method: 'GET', url: '/_matrix/client/v3/crash' });
    assert.equal(c.statusCode, 500);
    assert.equal(c.json().errcode, 'M_UNKNOWN');
    assert.doesNotMatch(c.body, /secret internal detail/);
  });

  it('returns explicit statuses and headers', async () => {
    const res = await server().inject({ method: 'POST', url: '/_matrix/client/v3/created' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['x-extra'], 'yes');
    assert.deepEqual(res.json(), { ok: true });
  });

  it('reads access tokens from the header and, when allowed, the query string', async () => {
    const app = server();
    assert.equal((await app.inject({ method: 'GET', url: '/_matrix/client/v3/whoami' })).json().errcode, 'M_MISSING_TOKEN');
    const hdr = await app.inject({ method: 'GET', url: '/_matrix/client/v3/whoami', headers: { authorization: 'Bearer good' } });
    assert.deepEqual(hdr.json(), { user_id: '@alice:test' });
    const q = await app.inject({ method: 'GET', url: '/_matrix/client/v3/whoami?access_token=good' });
    assert.deepEqual(q.json(), { user_id: '@alice:test' });
    const bad = await app.inject({ method: 'GET', url: '/_matrix/client/v3/whoami', headers: { authorization: 'Bearer bad' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().errcode, 'M_UNKNOWN_TOKEN');
    const noQuery = server({ accessTokenInQuery: false });
    const q2 = await noQuery.inject({ method: 'GET', url: '/_matrix/client/v3/whoami?access_token=good' });
    assert.equal(q2.json().errcode, 'M_MISSING_TOKEN');
  });

  it('rate-limits a class per requester with M_LIMIT_EXCEEDED and retry_after_ms', async () => {
    const app = server({ rateLimiter: new RateLimiter({ default: { perSecond: 0.5, burst: 2 } }) });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject({ method: 'POST', url: '/_matrix/client/v3/created' })).statusCode);
    assert.deepEqual(codes, [201, 201, 429]);
    const limited = await app.inject({ method: 'POST', url: '/_matrix/client/v3/created' });
    assert.equal(limited.json().errcode, 'M_LIMIT_EXCEEDED');
    assert.ok(limited.json().retry_after_ms > 0 && limited.json().retry_after_ms <= 2000);
    assert.equal(limited.headers['retry-after'], '2');
  });
});
