/**
 * The outbound federation client as the config describes it. Every component that talks to other
 * servers on its own (the federationapi; the mediaapi, whose downloads stream bytes that cannot
 * cross the internal JSON API) builds its client here, so they obey the same TLS and network rules.
 */
import type { LoadedConfig } from '../../internal/config/load-config.js';
import type { SigningKey } from '../../matrix/signing-key.js';
import { axonVersion } from '../routing/version.js';
import { createFederationClient, type FederationClient } from './federation-client.js';

/** The client, or undefined when `federation.enabled` is false (nothing may reach the network). */
export function federationClientFromConfig(config: LoadedConfig, signingKey: SigningKey): FederationClient | undefined {
  const fed = config.federation;
  if (!fed.enabled) return undefined;
  return createFederationClient({
    serverName: config.server_name,
    signingKey,
    tlsVerify: fed.tls_verify,
    caFile: fed.ca_file,
    allowNetworks: fed.allow_networks,
    denyNetworks: fed.deny_networks,
    userAgent: `Axon/${axonVersion()}`,
  });
}
