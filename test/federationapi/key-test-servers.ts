/**
 * Real Axon monoliths for the key tests (`startTestMonolith`), each under its own server name,
 * whose federationapi is built with test choices (a key transport, old keys, a movable clock).
 * Federation routes are served on the client listener (no federation listener configured), over
 * plain HTTP.
 *
 * {@link httpKeyTransport} is the test's `KeyTransport`: it maps server names to those servers'
 * URLs and calls their real key routes with `fetch`, counting calls; a server may be marked
 * down, or its answers tampered with, to play a dead or forging server.
 */
import { createFederationapiComponent, type FederationapiComponentOptions } from '../../src/federationapi/component.js';
import type { KeyTransport } from '../../src/federationapi/keyring/key-transport.js';
import { isJsonObject, type JsonObject } from '../../src/matrix/json.js';
import { DEFAULT_COMPONENTS } from '../../src/setup/default-components.js';
import type { RunningServer } from '../../src/setup/start-server.js';
import { startTestMonolith } from '../harness/start-test-monolith.js';

/** A running key test server. */
export interface KeyTestServer {
  readonly serverName: string;
  readonly baseUrl: string;
  readonly server: RunningServer;
  /** Our signing key's ID and public key. */
  readonly keyId: string;
  readonly publicKey: string;
  stop(): Promise<void>;
}

/** Starts a monolith named `serverName`; `config` is merged into the config. */
export async function startKeyTestServer(
  serverName: string,
  component: FederationapiComponentOptions = {},
  config: Record<string, unknown> = {},
): Promise<KeyTestServer> {
  const registry = DEFAULT_COMPONENTS.map((c) => (c.name === 'federationapi' ? createFederationapiComponent(component) : c));
  // Registration stays at its default (closed): these servers only serve keys.
  const monolith = await startTestMonolith({ server_name: serverName, registration: {}, ...config }, { registry });
  const { server } = monolith;
  return {
    serverName,
    baseUrl: monolith.baseUrl,
    server,
    keyId: server.signingKey.keyId,
    publicKey: server.signingKey.publicKeyBase64,
    stop: monolith.stop,
  };
}

/** A {@link KeyTransport} over real HTTP, with knobs for tests. */
export interface HttpKeyTransport extends KeyTransport {
  /** Server name → base URL (filled in as servers start). */
  readonly urls: Map<string, string>;
  /** Servers that fail every request, as if down. */
  readonly down: Set<string>;
  /** Rewrites a server's direct answer (to forge one), by server name. */
  readonly tamper: Map<string, (json: JsonObject) => JsonObject>;
  /** Calls made: `direct:<server>` and `notary:<notary>:<server>`. */
  readonly calls: string[];
  count(prefix: string): number;
}

/** A transport reaching the servers in `urls`. */
export function httpKeyTransport(): HttpKeyTransport {
  const urls = new Map<string, string>();
  const down = new Set<string>();
  const tamper = new Map<string, (json: JsonObject) => JsonObject>();
  const calls: string[] = [];
  const get = async (serverName: string, path: string): Promise<JsonObject> => {
    const base = urls.get(serverName);
    if (base === undefined || down.has(serverName)) throw new Error(`${serverName} is unreachable`);
    const res = await fetch(`${base}${path}`);
    if (res.status !== 200) throw new Error(`${serverName} answered ${res.status}`);
    const body: unknown = await res.json();
    if (!isJsonObject(body)) throw new Error(`${serverName} sent no JSON object`);
    return body;
  };
  return {
    urls,
    down,
    tamper,
    calls,
    count: (prefix) => calls.filter((c) => c.startsWith(prefix)).length,
    async fetchServerKeys(serverName) {
      calls.push(`direct:${serverName}`);
      const body = await get(serverName, '/_matrix/key/v2/server');
      return tamper.get(serverName)?.(body) ?? body;
    },
    async queryNotary(notary, serverName, minimumValidUntilTs) {
      calls.push(`notary:${notary}:${serverName}`);
      const q = `?minimum_valid_until_ts=${minimumValidUntilTs}`;
      const body = await get(notary, `/_matrix/key/v2/query/${encodeURIComponent(serverName)}${q}`);
      const list = body.server_keys;
      if (!Array.isArray(list)) throw new Error(`${notary} sent no server_keys`);
      return list.filter(isJsonObject);
    },
  };
}

/** A clock tests move forward. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/** Real time plus an offset the test controls. */
export function testClock(): TestClock {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}
