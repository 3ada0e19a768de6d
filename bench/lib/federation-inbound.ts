/**
 * The inbound half of the federation bench: this process plays server A and pushes messages of
 * `@m0:<A>` (a member of the room) to B's `PUT /_matrix/federation/v1/send/{txnId}`, signed
 * with A's own key file (so B checks them against the key its key ring fetched from A), hashed
 * and signed as A builds its events, in one chain: each event's `prev_events` is the previous
 * one, starting from B's newest event; `auth_events` are the create, power levels and
 * sender's member events. A never learns of these events; B never needs to ask for any.
 */
import { performance } from 'node:perf_hooks';
import { createFederationClient, type FederationClient } from '../../src/federationapi/client/federation-client.js';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { loadOrCreateSigningKey } from '../../src/setup/load-signing-key.js';
import type { SigningKey } from '../../src/matrix/signing-key.js';
import type { BenchUser } from './bench-client.js';
import type { FederationBenchServer } from './federation-pair.js';

/** PDUs per transaction: the spec's maximum. */
const PDUS_PER_TXN = 50;

/** Where the chain of pushed events stands. */
export interface InboundChain {
  readonly roomId: string;
  readonly roomVersionId: string;
  readonly sender: string;
  readonly authEvents: readonly string[];
  /** The newest event (the next event's only prev event) and its depth. */
  prevEventId: string;
  depth: number;
}

/** A federation client signing as `a` with a's key, trusting the bench CA. */
export function clientAs(a: FederationBenchServer, caFile: string): { client: FederationClient; key: SigningKey } {
  const key = loadOrCreateSigningKey(a.signingKeyPath);
  const client = createFederationClient({
    serverName: a.serverName,
    signingKey: key,
    tlsVerify: true,
    caFile,
    allowNetworks: ['127.0.0.0/8'],
    denyNetworks: [],
    userAgent: 'Axon-bench',
    timeoutMs: 120_000,
  });
  return { client, key };
}

interface StateEventJson {
  readonly type: string;
  readonly state_key: string;
  readonly event_id: string;
  readonly content: Record<string, unknown>;
}

/**
 * The chain's start: the auth events from A's current state (read by `member`, a joined user
 * of A), the newest event `newestOnB` as B holds it (fetched over federation for its depth).
 */
export async function startChain(
  fed: FederationClient,
  b: FederationBenchServer,
  member: BenchUser,
  roomId: string,
  sender: string,
  newestOnB: string,
): Promise<InboundChain> {
  const state = (await member.call('GET', `/rooms/${encodeURIComponent(roomId)}/state`)) as unknown as StateEventJson[];
  const find = (type: string, key: string): StateEventJson => {
    const ev = state.find((e) => e.type === type && e.state_key === key);
    if (!ev) throw new Error(`A's state of ${roomId} has no ${type}/${key}`);
    return ev;
  };
  const create = find('m.room.create', '');
  const got = await fed.request<{ pdus: JsonObject[] }>({
    destination: b.serverName,
    method: 'GET',
    path: `/_matrix/federation/v1/event/${encodeURIComponent(newestOnB)}`,
  });
  const depth = got.pdus[0]?.depth;
  if (typeof depth !== 'number') throw new Error(`B served no depth for ${newestOnB}`);
  return {
    roomId,
    roomVersionId: typeof create.content.room_version === 'string' ? create.content.room_version : '1',
    sender,
    authEvents: [create.event_id, find('m.room.power_levels', '').event_id, find('m.room.member', sender).event_id],
    prevEventId: newestOnB,
    depth,
  };
}

/** The next `n` messages of the chain as signed PDUs, advancing it. */
export function buildMessages(chain: InboundChain, key: SigningKey, serverName: string, n: number): JsonObject[] {
  const rv = roomVersion(chain.roomVersionId);
  const out: JsonObject[] = [];
  for (let i = 0; i < n; i++) {
    const ev = buildEvent(
      {
        type: 'm.room.message',
        sender: chain.sender,
        room_id: chain.roomId,
        content: { msgtype: 'm.text', body: `inbound ${chain.depth + 1}` },
        prev_events: [chain.prevEventId],
        auth_events: chain.authEvents,
        depth: chain.depth + 1,
        origin_server_ts: Date.now(),
      },
      rv,
      { serverName, key },
    );
    chain.prevEventId = ev.eventId;
    chain.depth += 1;
    out.push(ev.json);
  }
  return out;
}

let txnCounter = 0;

/**
 * Sends `pdus` to `b` as A in sequential transactions of 50; throws if B refuses any PDU.
 * Returns the wall time in seconds.
 */
export async function pushTransactions(fed: FederationClient, a: FederationBenchServer, b: FederationBenchServer, pdus: readonly JsonObject[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < pdus.length; i += PDUS_PER_TXN) {
    const batch = pdus.slice(i, i + PDUS_PER_TXN);
    const txnId = `bench${Date.now()}_${txnCounter++}`;
    const res = await fed.request<{ pdus?: Record<string, { error?: string }> }>({
      destination: b.serverName,
      method: 'PUT',
      path: `/_matrix/federation/v1/send/${txnId}`,
      body: { origin: a.serverName, origin_server_ts: Date.now(), pdus: batch as JsonObject[] },
    });
    const results = Object.entries(res.pdus ?? {});
    if (results.length !== batch.length) throw new Error(`transaction ${txnId}: ${results.length} results for ${batch.length} PDUs`);
    const refused = results.filter(([, r]) => r.error !== undefined);
    if (refused.length > 0) throw new Error(`transaction ${txnId}: B refused ${refused.length} PDUs, e.g. ${JSON.stringify(refused[0])}`);
  }
  return (performance.now() - start) / 1000;
}
