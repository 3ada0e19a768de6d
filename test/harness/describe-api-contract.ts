/**
 * Runs one component API suite on both transports, so monolith and polylith cannot diverge:
 * - `in-process`: the implementation behind the short-circuit with JSON checks on (requests,
 *   responses and errors asserted JSON-safe and copied through JSON);
 * - `inthttp`: the generated client → a real HTTP listener on 127.0.0.1 (built by
 *   `createHttpServer` with the generated routes and a shared secret) → the implementation.
 *
 * The suite is the same function on both: a test that needs to know its transport is a test of
 * a divergence. Each transport gets its own implementation from `makeImpl`, made once before its
 * tests and cleaned up after them.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Pool } from 'undici';
import { createHttpServer } from '../../src/internal/httputil/create-http-server.js';
import { createRpcClient } from '../../src/internal/rpc/create-rpc-client.js';
import { inProcessApi } from '../../src/internal/rpc/in-process-api.js';
import type { RpcApi, RpcMethods } from '../../src/internal/rpc/rpc-protocol.js';
import { rpcRoutes } from '../../src/internal/rpc/rpc-routes.js';

export interface ContractImpl<T> {
  readonly impl: T;
  cleanup(): Promise<void>;
}

export interface ApiContractOptions {
  /** Deadline of each call over HTTP (default 30 s, the config's default). */
  readonly timeoutMs?: number;
}

/**
 * @param component The component's name, as in its RPC paths.
 * @param methods Its method table.
 * @param makeImpl A fresh implementation and how to dispose of it.
 * @param suite The tests; `getApi()` is valid inside tests and hooks, not while declaring them.
 */
export function describeApiContract<T extends RpcApi<T>>(
  component: string,
  methods: RpcMethods<T>,
  makeImpl: () => Promise<ContractImpl<T>>,
  suite: (getApi: () => T) => void,
  opts: ApiContractOptions = {},
): void {
  describe(`${component} API [in-process]`, () => {
    let made: ContractImpl<T> | undefined;
    let api: T | undefined;
    before(async () => {
      made = await makeImpl();
      api = inProcessApi(component, methods, made.impl, { checkJsonSafety: true });
    });
    after(async () => {
      await made?.cleanup();
    });
    suite(() => ready(api, component));
  });

  describe(`${component} API [inthttp]`, () => {
    let made: ContractImpl<T> | undefined;
    let app: FastifyInstance | undefined;
    let pool: Pool | undefined;
    let api: T | undefined;
    before(async () => {
      made = await makeImpl();
      const sharedSecret = randomBytes(24).toString('hex');
      app = createHttpServer({
        logger: pino({ level: 'silent' }),
        routes: rpcRoutes(component, methods, made.impl, { sharedSecret, checkJsonSafety: true }),
        maxBodyBytes: 1024 * 1024,
        trustProxy: false,
        cors: false,
        authenticators: {},
        accessTokenInQuery: false,
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address();
      if (typeof addr !== 'object' || !addr) throw new Error('the contract listener has no address');
      const baseUrl = `http://127.0.0.1:${addr.port}`;
      pool = new Pool(baseUrl);
      api = createRpcClient<T>(component, methods, {
        baseUrl,
        sharedSecret,
        timeoutMs: opts.timeoutMs ?? 30_000,
        dispatcher: pool,
        checkJsonSafety: true,
      });
    });
    after(async () => {
      await pool?.close();
      await app?.close();
      await made?.cleanup();
    });
    suite(() => ready(api, component));
  });
}

function ready<T>(api: T | undefined, component: string): T {
  if (!api) throw new Error(`the ${component} API is only available inside tests and hooks`);
  return api;
}
