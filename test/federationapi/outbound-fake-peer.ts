/**
 * A fake federation peer for the outbound sender's tests: a real HTTP server on 127.0.0.1 that
 * stands for any number of destinations (the client stub names the destination in a header),
 * records every `/send` it receives, and fails on demand. The client stub implements only
 * `FederationClient.request`, by calling that server, and throws the client's own error type.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FederationClient, FederationRequest } from '../../src/federationapi/client/federation-client.js';
import { FederationRequestError } from '../../src/federationapi/client/federation-request-error.js';
import type { JsonObject } from '../../src/matrix/json.js';

/** One request the peer received. */
export interface ReceivedSend {
  readonly destination: string;
  /** Which client stub sent it. */
  readonly instance: string;
  readonly method: string;
  readonly path: string;
  readonly txnId: string;
  readonly body: JsonObject;
  /** `Date.now()` when it arrived. */
  readonly at: number;
}

/** What the peer answers for a destination: a status (200 is success), or a dropped connection. */
export type PeerAnswer = number | 'reset';

/** The running peer. */
export interface FakePeer {
  readonly received: ReceivedSend[];
  /** Answers for a destination's next requests, in order; once used up, 200. */
  failNext(destination: string, ...answers: PeerAnswer[]): void;
  /** Answer every request of a destination this way until changed (undefined: back to 200). */
  failAlways(destination: string, answer: PeerAnswer | undefined): void;
  /** Delay before answering (ms). */
  delayMs: number;
  /** Per-PDU results to put in a 200 answer. */
  pduResults: JsonObject;
  /** Most requests in flight at once for any one destination, so far. */
  readonly maxInFlightPerDestination: () => number;
  sentTo(destination: string): ReceivedSend[];
  /** A client stub whose requests reach this peer, tagged `instance`. */
  client(instance?: string): Pick<FederationClient, 'request'>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject;
}

/** Starts a peer on a free port. */
export async function startFakePeer(): Promise<FakePeer> {
  const received: ReceivedSend[] = [];
  const scripted = new Map<string, PeerAnswer[]>();
  const always = new Map<string, PeerAnswer>();
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const destination = String(req.headers['x-destination']);
      const n = (inFlight.get(destination) ?? 0) + 1;
      inFlight.set(destination, n);
      maxInFlight = Math.max(maxInFlight, n);
      const body = await readBody(req);
      const path = req.url ?? '';
      received.push({
        destination,
        instance: String(req.headers['x-instance']),
        method: req.method ?? '',
        path,
        txnId: decodeURIComponent(path.split('/').pop() ?? ''),
        body,
        at: Date.now(),
      });
      if (peer.delayMs > 0) await new Promise((r) => setTimeout(r, peer.delayMs));
      inFlight.set(destination, (inFlight.get(destination) ?? 1) - 1);
      const answer = scripted.get(destination)?.shift() ?? always.get(destination) ?? 200;
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer === 200 ? { pdus: peer.pduResults } : { errcode: 'M_UNKNOWN', error: `failing with ${answer}` }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const peer: FakePeer = {
    received,
    delayMs: 0,
    pduResults: {},
    failNext(destination, ...answers) {
      scripted.set(destination, [...(scripted.get(destination) ?? []), ...answers]);
    },
    failAlways(destination, answer) {
      if (answer === undefined) always.delete(destination);
      else always.set(destination, answer);
    },
    maxInFlightPerDestination: () => maxInFlight,
    sentTo: (destination) => received.filter((r) => r.destination === destination),
    client(instance = 'main') {
      return {
        async request<T>(req: FederationRequest): Promise<T> {
          let res: Response;
          try {
            res = await fetch(`http://127.0.0.1:${port}${req.path}`, {
              method: req.method,
              headers: { 'content-type': 'application/json', 'x-destination': req.destination, 'x-instance': instance },
              body: JSON.stringify(req.body ?? {}),
            });
          } catch (e) {
            throw new FederationRequestError({ destination: req.destination, kind: 'network', message: String(e), cause: e });
          }
          const json = (await res.json()) as JsonObject;
          if (!res.ok) {
            throw new FederationRequestError({ destination: req.destination, kind: 'http', status: res.status, errcode: String(json.errcode), message: `HTTP ${res.status}` });
          }
          return json as T;
        },
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return peer;
}

/** Resolves once `pred()` holds (polled), or fails after `timeoutMs`. */
export async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
