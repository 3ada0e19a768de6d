/**
 * The X-Matrix check for a process that serves federation routes without running the
 * federationapi (a polylith's mediaapi serving `/_matrix/federation/v1/media/*`): the signature
 * is verified here, the origin's keys come from the federationapi's key ring through its
 * internal API (`queryServerKey`), so every process trusts the same keys.
 */
import { createFederationAuthenticator } from '../federationapi/auth/federation-authenticator.js';
import type { RoomserverFederationAPI } from '../federationapi/api.js';
import type { FederationAuthenticator } from '../internal/httputil/authenticators.js';

export function federationAuthenticatorViaApi(serverName: string, federation: Pick<RoomserverFederationAPI, 'queryServerKey'>): FederationAuthenticator {
  return createFederationAuthenticator({
    serverName,
    keys: {
      async verifyKey(origin, keyId, { atTs }) {
        const { publicKey } = await federation.queryServerKey({ serverName: origin, keyId, atTs });
        return publicKey ?? undefined;
      },
    },
  });
}
