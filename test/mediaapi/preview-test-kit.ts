/**
 * What the preview suites share: a real local HTTP server whose pages the test chooses (and
 * which counts the requests that reach it), and a Fastify app serving only `preview_url` with a
 * previewer over a real SQLite cache, the network guard and an injectable resolver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { createHttpServer } from '../../src/internal/httputil/create-http-server.js';
import type { Requester } from '../../src/internal/httputil/route.js';
import { createNetworkGuard } from '../../src/internal/net/network-guard.js';
import { openDatabase } from '../../src/internal/sqlutil/open-database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { typedDb } from '../../src/internal/sqlutil/database.js';
import { createGuardedFetcher, type GuardedFetcherOptions } from '../../src/mediaapi/preview/guarded-fetch.js';
import type { HostResolver } from '../../src/internal/net/resolve-checked-addresses.js';
import type { PreviewImageStore } from '../../src/mediaapi/preview/store-preview-image.js';
import { createUrlPreviewer } from '../../src/mediaapi/preview/url-previewer.js';
import { previewUrlRoutes } from '../../src/mediaapi/routing/preview-url.js';
import { urlPreviewsMigration } from '../../src/mediaapi/storage/url-previews-migration.js';
import { createUrlPreviewsStorage } from '../../src/mediaapi/storage/url-previews-storage.js';
import type { UrlPreviewsTables } from '../../src/mediaapi/storage/url-previews-table.js';

/** The config's default `federation.deny_networks`. */
export const DEFAULT_DENY = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '0.0.0.0/8', '::1/128', 'fe80::/10', 'fc00::/7'];

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local origin serving `handlers` by path; `hits` lists every path requested. */
export interface TestOrigin {
  readonly port: number;
  readonly base: string;
  readonly hits: string[];
  close(): Promise<void>;
}

/** Starts the origin on 127.0.0.1. Unknown paths answer 404. */
export async function startOrigin(handlers: Readonly<Record<string, Handler>>): Promise<TestOrigin> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const handler = handlers[path.split('?')[0] ?? ''];
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTML handler. */
export const html =
  (body: string | Buffer, contentType = 'text/html; charset=utf-8', extra: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, ...extra }).end(body);
  };

/** A redirect handler. */
export const redirect =
  (location: string, status = 302): Handler =>
  (_req, res) => {
    res.writeHead(status, { location }).end();
  };

const alice: Requester = { userId: '@alice:test', deviceId: 'D', isGuest: false, isAdmin: false, appserviceId: undefined };

/** A preview app and its clock. */
export interface PreviewApp {
  readonly app: FastifyInstance;
  /** Images stored, in order: their source URL, media type, bytes and the requester. */
  readonly storedImages: { url: string; mediaType: string; bytes: number; userId: string }[];
  /** Milliseconds since the epoch as the previewer sees it. */
  clock: number;
  /** GET preview_url for `url` (and `ts`), with a valid token unless `token` is null. */
  preview(url: string, opts?: { ts?: number; token?: string | null }): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Options of {@link startPreviewApp}. */
export interface PreviewAppOptions extends Partial<Omit<GuardedFetcherOptions, 'guard' | 'resolve'>> {
  readonly allowNetworks?: readonly string[];
  /** Addresses by name, or a resolver of its own (to count or vary answers). */
  readonly hosts?: Readonly<Record<string, readonly string[]>> | HostResolver;
  /** Store images: each becomes `mxc://test/img<n>` and is listed in {@link PreviewApp.storedImages}. */
  readonly storeImages?: boolean;
}

/** Builds the app; names not in `hosts` do not resolve. */
export async function startPreviewApp(opts: PreviewAppOptions = {}): Promise<PreviewApp> {
  const dir = mkdtempSync(join(tmpdir(), 'axon-preview-'));
  const database = await openDatabase(`sqlite:${join(dir, 'media.db')}`);
  await runMigrations(database, 'mediaapi_preview_test', [urlPreviewsMigration(1)]);
  const hosts = opts.hosts ?? {};
  const resolve: HostResolver = typeof hosts === 'function' ? hosts : async (host) => hosts[host] ?? [];
  const fetch = createGuardedFetcher({
    ...opts,
    guard: createNetworkGuard({ allowNetworks: opts.allowNetworks ?? [], denyNetworks: DEFAULT_DENY }),
    resolve,
  });
  const state = { clock: 1_700_000_000_000 };
  const storedImages: PreviewApp['storedImages'] = [];
  const storeImage: PreviewImageStore = async (image, userId) => {
    storedImages.push({ url: image.url, mediaType: image.mediaType, bytes: image.body.length, userId });
    return `mxc://test/img${storedImages.length}`;
  };
  const previewer = createUrlPreviewer({
    fetch,
    storage: createUrlPreviewsStorage(typedDb<UrlPreviewsTables>(database)),
    now: () => state.clock,
    ...(opts.storeImages ? { storeImage } : {}),
  });
  const app = createHttpServer({
    logger: pino({ level: 'silent' }),
    routes: previewUrlRoutes({ previewer }),
    maxBodyBytes: 65536,
    trustProxy: false,
    cors: false,
    accessTokenInQuery: true,
    authenticators: {
      user: {
        authenticate: async (token) => {
          if (token !== 'good') throw MatrixError.unknownToken();
          return alice;
        },
      },
    },
  });
  const result: PreviewApp = {
    app,
    storedImages,
    get clock() {
      return state.clock;
    },
    set clock(v: number) {
      state.clock = v;
    },
    async preview(url, o = {}) {
      const qs = new URLSearchParams({ url, ...(o.ts === undefined ? {} : { ts: String(o.ts) }) });
      const token = o.token === undefined ? 'good' : o.token;
      const res = await app.inject({
        method: 'GET',
        url: `/_matrix/client/v1/media/preview_url?${qs.toString()}`,
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    },
    async close() {
      await app.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return result;
}
