/**
 * Test support for tests that speak federation themselves: a federation client built as a server
 * of a {@link FederatedPair} builds its own (its config choices, its signing key file), and the
 * refusal a request is expected to meet.
 *
 * No client-facing feature makes one server of the pair query the other for every route yet, so
 * tests build the client themselves; signing with the pair's own key files means the receiving
 * server checks the signature against keys its key ring really fetched over HTTPS.
 */
import assert from 'node:assert/strict';
import { createFederationClient, type FederationClient, type FederationClientOptions } from '../../src/federationapi/client/federation-client.js';
import { FederationRequestError } from '../../src/federationapi/client/federation-request-error.js';
import { loadOrCreateSigningKey } from '../../src/setup/load-signing-key.js';
import type { FederatedPair, FederatedServer } from '../harness/start-federated-pair.js';

/**
 * A federation client signing as `server` (one of `pair`) with its own key file, trusting the
 * pair's CA and allowed to reach loopback; `over` replaces any choice, e.g. to break it.
 */
export function federationTestClient(pair: FederatedPair, server: FederatedServer, over: Partial<FederationClientOptions> = {}): FederationClient {
  return createFederationClient({
    serverName: server.serverName,
    signingKey: loadOrCreateSigningKey(server.signingKeyPath),
    tlsVerify: true,
    caFile: pair.caFile,
    allowNetworks: ['127.0.0.0/8'],
    denyNetworks: ['127.0.0.0/8', '::1/128'],
    userAgent: 'Axon-test',
    timeoutMs: 10_000,
    ...over,
  });
}

/** The {@link FederationRequestError} `p` fails with; fails the test if `p` succeeds or fails otherwise. */
export async function federationRejection(p: Promise<unknown>): Promise<FederationRequestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FederationRequestError, `FederationRequestError expected, got ${String(e)}`);
    return e;
  }
  assert.fail('the request succeeded');
}
