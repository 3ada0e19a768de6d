/**
 * Test support for `PUT /send/{txnId}`: the route over a real roomserver API (from
 * `describeRoomserverApi`), a real federationapi storage and embedded bus on a fresh database,
 * and a REAL HTTP server standing in for `remote.test` (the transaction's origin), which answers
 * whatever the test tells it to (`/get_missing_events`, `/state_ids`, `/event`, `/event_auth`).
 * The outbound client sends every request to that server over HTTP on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutputReceiptEvent, type OutputReceiptMessage } from '../../src/clientapi/producers/output-receipt-event.js';
import { OutputTypingEvent, type OutputTypingMessage } from '../../src/clientapi/producers/output-typing-event.js';
import { requestUri, type FederationClient, type FederationRequest } from '../../src/federationapi/client/federation-client.js';
import { FederationRequestError } from '../../src/federationapi/client/federation-request-error.js';
import { injectAs } from '../../src/federationapi/routing/inject-as.js';
import type { SendRoomserverAPI } from '../../src/federationapi/routing/send-transaction-deps.js';
import { sendTransactionRoutes } from '../../src/federationapi/routing/send-transaction.js';
import { testFederationApp } from '../../src/federationapi/routing/test-federation-app.js';
import { openFederationStorage } from '../../src/federationapi/storage/index.js';
import type { Bus } from '../../src/internal/bus/bus.js';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { JsonObject, JsonValue } from '../../src/matrix/json.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import type { BackendContext } from '../harness/describe-each-backend.js';
import { REMOTE, SERVER } from '../roomserver/roomserver-api-kit.js';

/** A request the fake remote received. */
export interface RemoteRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly body: JsonValue | undefined;
}

/** The fake remote's answer: status and JSON body. */
export type RemoteAnswer = { readonly status: number; readonly body: JsonValue };

/** What the fake remote answers to a request (404 `M_NOT_FOUND` when undefined). */
export type RemoteHandler = (req: RemoteRequest, url: URL) => RemoteAnswer | undefined;

/** The app, its observers and the fake remote. */
export interface SendApp {
  /** `PUT /send/{txnId}` signed (in name) by `origin` (default `remote.test`). */
  send(txnId: string, body: JsonObject, origin?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Sets what the fake remote answers. */
  serve(handler: RemoteHandler): void;
  /** Requests the fake remote received, in order. */
  readonly remoteRequests: RemoteRequest[];
  /** `OutputTypingEvent` and `OutputReceiptEvent` messages delivered so far. */
  readonly typing: OutputTypingMessage[];
  readonly receipts: OutputReceiptMessage[];
  /** Origins `heardFrom` was called with. */
  readonly heard: string[];
  /** How many times the route called `inputRoomEvents`. */
  inputCalls(): number;
  /** Resolves once `pred` holds (fails after 5 s). */
  waitFor(what: string, pred: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** A transaction body from `remote.test`. */
export function txn(pdus: readonly JsonObject[], edus: readonly JsonObject[] = [], origin = REMOTE): JsonObject {
  return { origin, origin_server_ts: 1_700_000_000_000, pdus: [...pdus], edus: [...edus] };
}

/** Starts everything; close it at the end of the test. */
export async function startSendApp(api: RoomserverAPI, backend: BackendContext): Promise<SendApp> {
  const database = await backend.open();
  const storage = await openFederationStorage(database);
  const bus = await createEmbeddedBus({ database, pollIntervalMs: 50 });
  const typing: OutputTypingMessage[] = [];
  const receipts: OutputReceiptMessage[] = [];
  const subs = await Promise.all([
    bus.subscribe<OutputTypingMessage>({ topic: OutputTypingEvent, consumer: 'test-typing', handler: async (m) => void typing.push(m.payload) }),
    bus.subscribe<OutputReceiptMessage>({ topic: OutputReceiptEvent, consumer: 'test-receipts', handler: async (m) => void receipts.push(m.payload) }),
  ]);
  const remote = await startFakeRemote();
  let calls = 0;
  const counted: SendRoomserverAPI = {
    queryRoomInfo: (r) => api.queryRoomInfo(r),
    queryState: (r) => api.queryState(r),
    queryEvents: (r) => api.queryEvents(r),
    queryMembership: (r) => api.queryMembership(r),
    inputRoomEvents: (r) => {
      calls++;
      return api.inputRoomEvents(r);
    },
  };
  const heard: string[] = [];
  const app = testFederationApp(
    sendTransactionRoutes({
      serverName: SERVER,
      sendRoomserverApi: counted,
      federationClient: remote.client,
      bus: bus as Bus,
      receivedTransactions: storage,
      now: Date.now,
      heardFrom: (o) => void heard.push(o),
    }),
  );
  return {
    send: (txnId, body, origin = REMOTE) => injectAs(app, origin, 'PUT', `/_matrix/federation/v1/send/${encodeURIComponent(txnId)}`, body),
    serve: (h) => {
      remote.handler = h;
    },
    remoteRequests: remote.requests,
    typing,
    receipts,
    heard,
    inputCalls: () => calls,
    async waitFor(what, pred) {
      const deadline = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`${what}: not after 5 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await app.close();
      await Promise.all(subs.map((s) => s.stop()));
      await bus.close();
      await remote.close();
    },
  };
}

interface FakeRemote {
  handler: RemoteHandler;
  readonly requests: RemoteRequest[];
  readonly client: Pick<FederationClient, 'request'>;
  close(): Promise<void>;
}

async function startFakeRemote(): Promise<FakeRemote> {
  const remote: FakeRemote = {
    handler: () => undefined,
    requests: [],
    client: { request: async <T>(req: FederationRequest) => (await call(req)) as T },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const body = text === '' ? undefined : (JSON.parse(text) as JsonValue);
      const request: RemoteRequest = { method: req.method ?? 'GET', url: req.url ?? '/', body };
      remote.requests.push(request);
      const answer = remote.handler(request, new URL(request.url, 'http://remote.test')) ?? { status: 404, body: { errcode: 'M_NOT_FOUND', error: 'Not found' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  /** The client's request, over HTTP to the fake remote; failures as the real client reports them. */
  async function call(req: FederationRequest): Promise<unknown> {
    if (req.destination !== REMOTE) throw new FederationRequestError({ destination: req.destination, kind: 'resolve', message: 'only remote.test exists here' });
    const body = req.body ?? (req.method === 'POST' || req.method === 'PUT' ? {} : undefined);
    const res = await fetch(`http://127.0.0.1:${port}${requestUri(req.path, req.query)}`, {
      method: req.method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new FederationRequestError({ destination: req.destination, kind: 'http', status: res.status, message: `HTTP ${res.status}` });
    return json;
  }
  return remote;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
