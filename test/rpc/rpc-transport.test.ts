/**
 * What only the HTTP transport can get wrong: the shared secret, network failures and deadlines,
 * unknown methods, malformed bodies, answers not produced by a method; and, side by side, that
 * both transports give the same results and the same errors.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Pool, request } from 'undici';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { createHttpServer } from '../../src/internal/httputil/create-http-server.js';
import { NotJsonSafeError } from '../../src/internal/rpc/assert-json-safe.js';
import { createRpcClient, type RpcClientOptions } from '../../src/internal/rpc/create-rpc-client.js';
import { defineInternalApi } from '../../src/internal/rpc/define-internal-api.js';
import { inProcessApi } from '../../src/internal/rpc/in-process-api.js';
import { closeRpcDispatchers, sharedRpcDispatcher } from '../../src/internal/rpc/rpc-dispatcher.js';
import { rpcRoutes, type RpcRoutesOptions } from '../../src/internal/rpc/rpc-routes.js';
import { RpcRemoteError } from '../../src/internal/rpc/rpc-remote-error.js';
import { RpcUnavailableError } from '../../src/internal/rpc/rpc-unavailable-error.js';
import { freePort } from '../harness/free-port.js';
import { DemoAPIMethods, makeDemoImpl, type DemoAPI } from './demo-api.js';

const SECRET = 'a-shared-secret-of-32-characters';

interface Listener {
  readonly baseUrl: string;
  readonly impl: ReturnType<typeof makeDemoImpl>;
}

const opened: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of opened.reverse()) await close();
  await closeRpcDispatchers();
});

async function listen(opts: RpcRoutesOptions = {}): Promise<Listener> {
  const impl = makeDemoImpl();
  const app: FastifyInstance = createHttpServer({
    logger: pino({ level: 'silent' }),
    routes: rpcRoutes<DemoAPI>('demo', DemoAPIMethods, impl, opts),
    maxBodyBytes: 1024 * 1024,
    trustProxy: false,
    cors: false,
    authenticators: {},
    accessTokenInQuery: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  opened.push(() => app.close());
  const addr = app.server.address();
  assert.ok(typeof addr === 'object' && addr);
  return { baseUrl: `http://127.0.0.1:${addr.port}`, impl };
}

function client(baseUrl: string, opts: Partial<RpcClientOptions<DemoAPI>> = {}): DemoAPI {
  const pool = new Pool(baseUrl);
  opened.push(() => pool.close());
  return createRpcClient<DemoAPI>('demo', DemoAPIMethods, { baseUrl, timeoutMs: 5000, dispatcher: pool, ...opts });
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => assert.fail('should have thrown'),
    (e: unknown) => e,
  );
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

describe('in-process and over HTTP give the same answers and errors', () => {
  let local: DemoAPI;
  let remote: DemoAPI;
  before(async () => {
    local = inProcessApi<DemoAPI>('demo', DemoAPIMethods, makeDemoImpl(), { checkJsonSafety: true });
    remote = client((await listen({ sharedSecret: SECRET })).baseUrl, { sharedSecret: SECRET });
  });

  it('same results', async () => {
    for (const api of [local, remote]) await api.performThing({ thing: { id: 'x', label: 'X', tags: ['1'] } });
    assert.deepEqual(await remote.queryThing({ id: 'x' }), await local.queryThing({ id: 'x' }));
    assert.deepEqual(await remote.queryThing({ id: 'x' }), { found: true, thing: { id: 'x', label: 'X', tags: ['1'] } });
    assert.equal(await remote.inputThing({ id: 'x' }), await local.inputThing({ id: 'x' }));
  });

  it('same MatrixError', async () => {
    const a = await rejection(local.performForbidden({ room_id: '!a:b' }));
    const b = await rejection(remote.performForbidden({ room_id: '!a:b' }));
    assert.ok(a instanceof MatrixError && b instanceof MatrixError);
    assert.deepEqual([b.errcode, b.status, b.message, b.extra], [a.errcode, a.status, a.message, a.extra]);
    assert.deepEqual(b.extra, { room_id: '!a:b', retry: false, detail: { level: 50 } });
  });

  it('same RpcRemoteError for an unexpected error, message kept for logs', async () => {
    const a = await rejection(local.performCrash({ detail: 'd' }));
    const b = await rejection(remote.performCrash({ detail: 'd' }));
    assert.ok(a instanceof RpcRemoteError && b instanceof RpcRemoteError);
    const fields = (e: RpcRemoteError) => [e.origin, e.status, e.component, e.method, e.message];
    assert.deepEqual(fields(b), fields(a));
    assert.equal(b.message, 'demo.performCrash: Error: disk on fire: d');
    // Only the in-process error can keep the original, for its stack.
    assert.ok(a.cause instanceof Error);
  });
});

describe('shared secret', () => {
  let baseUrl: string;
  before(async () => {
    baseUrl = (await listen({ sharedSecret: SECRET })).baseUrl;
  });

  it('a missing secret is refused with 401, which the client reports as a transport failure', async () => {
    const raw = await post(`${baseUrl}/_axon/internal/demo/queryThing`, '{"id":"x"}');
    assert.equal(raw.status, 401);
    assert.equal(raw.body.errcode, 'M_UNAUTHORIZED');
    assert.equal(raw.body.kind, undefined);
    const e = await rejection(client(baseUrl).queryThing({ id: 'x' }));
    assert.ok(e instanceof RpcRemoteError);
    assert.deepEqual([e.origin, e.status, e.errcode, e.retriable], ['transport', 401, 'M_UNAUTHORIZED', false]);
  });

  it('a wrong secret is refused with 403 M_FORBIDDEN, not rebuilt as a MatrixError', async () => {
    const raw = await post(`${baseUrl}/_axon/internal/demo/queryThing`, '{"id":"x"}', { 'x-axon-internal-secret': 'wrong' });
    assert.equal(raw.status, 403);
    assert.equal(raw.body.errcode, 'M_FORBIDDEN');
    const e = await rejection(client(baseUrl, { sharedSecret: `${SECRET}x` }).queryThing({ id: 'x' }));
    assert.ok(e instanceof RpcRemoteError && !(e instanceof MatrixError));
    assert.deepEqual([e.origin, e.status, e.errcode], ['transport', 403, 'M_FORBIDDEN']);
  });

  it('the right secret is accepted', async () => {
    const raw = await post(`${baseUrl}/_axon/internal/demo/queryThing`, '{"id":"x"}', { 'x-axon-internal-secret': SECRET });
    assert.deepEqual(raw, { status: 200, body: { found: false } });
    assert.deepEqual(await client(baseUrl, { sharedSecret: SECRET }).queryThing({ id: 'x' }), { found: false });
  });

  it('without a configured secret, calls need none', async () => {
    const open = await listen();
    assert.deepEqual(await client(open.baseUrl).queryThing({ id: 'y' }), { found: false });
  });
});

describe('no answer', () => {
  it('connection refused is a retriable RpcUnavailableError', async () => {
    const port = await freePort();
    const e = await rejection(client(`http://127.0.0.1:${port}`).queryThing({ id: 'x' }));
    assert.ok(e instanceof RpcUnavailableError);
    assert.deepEqual([e.reason, e.retriable, e.component, e.method], ['network', true, 'demo', 'queryThing']);
  });

  it('a call past its deadline is a retriable RpcUnavailableError', async () => {
    const { baseUrl } = await listen();
    const started = Date.now();
    const e = await rejection(client(baseUrl, { timeoutMs: 100 }).querySlow({ delay_ms: 700 }));
    assert.ok(e instanceof RpcUnavailableError);
    assert.deepEqual([e.reason, e.retriable], ['timeout', true]);
    assert.ok(Date.now() - started < 600, `gave up after ${Date.now() - started} ms`);
  });

  it('a per-method deadline overrides the client one', async () => {
    const { baseUrl } = await listen();
    const api = client(baseUrl, { timeoutMs: 50, methodTimeoutsMs: { querySlow: 5000 } });
    assert.deepEqual(await api.querySlow({ delay_ms: 150 }), { slept_ms: 150 });
  });

  it('a 503 that did not come from the method is unavailability, a non-JSON 200 a transport failure', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url?.endsWith('/queryThing')) res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>down</h1>');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    opened.push(() => new Promise((resolve) => server.close(() => resolve())));
    const addr = server.address();
    assert.ok(typeof addr === 'object' && addr);
    const api = client(`http://127.0.0.1:${addr.port}`);
    const down = await rejection(api.queryThing({ id: 'x' }));
    assert.ok(down instanceof RpcUnavailableError);
    assert.equal(down.reason, 'unavailable');
    const garbled = await rejection(api.performThing({ thing: { id: 'x', label: '', tags: [] } }));
    assert.ok(garbled instanceof RpcRemoteError);
    assert.deepEqual([garbled.origin, garbled.status], ['transport', 200]);
  });
});

describe('requests the listener refuses', () => {
  let baseUrl: string;
  before(async () => {
    baseUrl = (await listen()).baseUrl;
  });

  it('an unknown method is 404 M_UNRECOGNIZED', async () => {
    const raw = await post(`${baseUrl}/_axon/internal/demo/queryNothing`, '{}');
    assert.equal(raw.status, 404);
    assert.equal(raw.body.errcode, 'M_UNRECOGNIZED');
  });

  it('a client newer than its server gets a transport RpcRemoteError for the missing method', async () => {
    interface NewerAPI {
      queryNothing(req: { id: string }): Promise<{ ok: boolean }>;
    }
    const newer = createRpcClient<NewerAPI>('demo', { queryNothing: true }, { baseUrl, timeoutMs: 5000 });
    const e = await rejection(newer.queryNothing({ id: 'x' }));
    assert.ok(e instanceof RpcRemoteError);
    assert.deepEqual([e.origin, e.status, e.errcode], ['transport', 404, 'M_UNRECOGNIZED']);
  });

  it('malformed JSON is 400 M_NOT_JSON', async () => {
    const raw = await post(`${baseUrl}/_axon/internal/demo/queryThing`, '{"id": ');
    assert.equal(raw.status, 400);
    assert.equal(raw.body.errcode, 'M_NOT_JSON');
  });

  it('GET is 405', async () => {
    const res = await request(`${baseUrl}/_axon/internal/demo/queryThing`);
    assert.equal(res.statusCode, 405);
    await res.body.dump();
  });
});

describe('body size', () => {
  it('internal routes accept bodies above the listener limit, up to their own', async () => {
    const { baseUrl } = await listen();
    const big = 'x'.repeat(2 * 1024 * 1024);
    assert.equal(await client(baseUrl).queryEcho({ value: big }), big);
  });

  it('a body above the routes’ limit is a transport failure 413', async () => {
    const { baseUrl } = await listen({ maxBodyBytes: 1000 });
    const e = await rejection(client(baseUrl).queryEcho({ value: 'y'.repeat(2000) }));
    assert.ok(e instanceof RpcRemoteError);
    assert.deepEqual([e.origin, e.status, e.errcode], ['transport', 413, 'M_TOO_LARGE']);
  });
});

describe('JSON safety', () => {
  it('the checked short-circuit refuses a request that would change over HTTP, naming the path', async () => {
    const api = inProcessApi<DemoAPI>('demo', DemoAPIMethods, makeDemoImpl(), { checkJsonSafety: true });
    const e = await rejection(api.queryEcho({ value: { list: [1, new Map()] } } as never));
    assert.ok(e instanceof NotJsonSafeError);
    assert.equal(e.path, 'demo.queryEcho request.value.list[1]');
  });

  it('the checked short-circuit refuses a response that would change over HTTP', async () => {
    const impl = { ...makeDemoImpl(), queryEcho: async () => ({ when: new Date(0) }) } as unknown as DemoAPI;
    const api = inProcessApi<DemoAPI>('demo', DemoAPIMethods, impl, { checkJsonSafety: true });
    const e = await rejection(api.queryEcho({ value: 1 }));
    assert.ok(e instanceof NotJsonSafeError);
    assert.equal(e.path, 'demo.queryEcho response.when');
  });

  it('the checked client refuses to send such a request', async () => {
    const port = await freePort();
    const api = client(`http://127.0.0.1:${port}`, { checkJsonSafety: true });
    const e = await rejection(api.queryEcho({ value: [1, undefined] } as never));
    assert.ok(e instanceof NotJsonSafeError);
    assert.equal(e.path, 'demo.queryEcho request.value[1]');
  });

  for (const checkJsonSafety of [true, false]) {
    it(`a server (checks ${checkJsonSafety ? 'on' : 'off'}) answers an unserialisable response as the method's failure`, async () => {
      const impl = { ...makeDemoImpl(), queryEcho: async () => ({ big: 1n }) } as unknown as DemoAPI;
      const app = createHttpServer({
        logger: pino({ level: 'silent' }),
        routes: rpcRoutes<DemoAPI>('demo', DemoAPIMethods, impl, { checkJsonSafety }),
        maxBodyBytes: 1024,
        trustProxy: false,
        cors: false,
        authenticators: {},
        accessTokenInQuery: false,
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      opened.push(() => app.close());
      const addr = app.server.address();
      assert.ok(typeof addr === 'object' && addr);
      const e = await rejection(client(`http://127.0.0.1:${addr.port}`).queryEcho({ value: 1 }));
      assert.ok(e instanceof RpcRemoteError);
      assert.deepEqual([e.origin, e.status], ['implementation', 500]);
    });
  }

  it('an unchecked client fails on an unserialisable request without calling it unavailability', async () => {
    const port = await freePort();
    const api = client(`http://127.0.0.1:${port}`, { checkJsonSafety: false });
    const e = await rejection(api.queryEcho({ value: 2n } as never));
    assert.ok(e instanceof TypeError && !(e instanceof NotJsonSafeError));
  });
});

describe('the unchecked short-circuit (production monolith)', () => {
  it('passes MatrixErrors through as they are and wraps other errors, keeping the original', async () => {
    const original = MatrixError.forbidden('no');
    const impl = {
      ...makeDemoImpl(),
      performForbidden: async () => {
        throw original;
      },
    } as DemoAPI;
    const api = inProcessApi<DemoAPI>('demo', DemoAPIMethods, impl, { checkJsonSafety: false });
    assert.equal(await rejection(api.performForbidden({ room_id: '!r:t' })), original);
    const crash = await rejection(api.performCrash({ detail: 'z' }));
    assert.ok(crash instanceof RpcRemoteError);
    assert.equal(crash.origin, 'implementation');
    assert.ok(crash.cause instanceof Error && crash.cause.message === 'disk on fire: z');
  });

  it('does not copy: the answer is the implementation’s own object', async () => {
    const impl = makeDemoImpl();
    const api = inProcessApi<DemoAPI>('demo', DemoAPIMethods, impl, { checkJsonSafety: false });
    const thing = { id: 'p', label: '', tags: [] };
    await api.performThing({ thing });
    assert.equal((await api.queryThing({ id: 'p' })).thing, thing);
  });
});

describe('construction', () => {
  it('refuses an implementation that lacks a method of the table', () => {
    const { querySlow: _dropped, ...partial } = makeDemoImpl();
    assert.throws(() => rpcRoutes<DemoAPI>('demo', DemoAPIMethods, partial as unknown as DemoAPI), /no method querySlow/);
    assert.throws(() => inProcessApi<DemoAPI>('demo', DemoAPIMethods, partial as unknown as DemoAPI), /no method querySlow/);
  });

  it('refuses names that cannot be path segments, and non-HTTP base URLs', () => {
    assert.throws(() => defineInternalApi<DemoAPI>('Demo/x', DemoAPIMethods), /component name/);
    assert.throws(() => createRpcClient<DemoAPI>('demo', DemoAPIMethods, { baseUrl: 'ftp://x', timeoutMs: 1 }), /http/);
  });

  it('shares one keep-alive pool per origin until closed', async () => {
    const a = sharedRpcDispatcher('http://127.0.0.1:1');
    assert.equal(sharedRpcDispatcher('http://127.0.0.1:1'), a);
    assert.notEqual(sharedRpcDispatcher('http://127.0.0.1:2'), a);
    await closeRpcDispatchers();
    assert.notEqual(sharedRpcDispatcher('http://127.0.0.1:1'), a);
  });

  it('serves one POST route per method under /_axon/internal/<component>/', () => {
    const routes = defineInternalApi<DemoAPI>('demo', DemoAPIMethods).routes(makeDemoImpl());
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.path} ${r.auth}`),
      Object.keys(DemoAPIMethods).map((m) => `POST /_axon/internal/demo/${m} none`),
    );
  });
});
