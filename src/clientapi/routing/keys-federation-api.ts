/**
 * The {@link KeysFederation} seam over the federationapi's internal API (`queryRemoteKeys`,
 * `claimRemoteKeys`), looked up lazily: a deployment without a federationapi still serves
 * local keys, and reports every remote server in `failures`.
 */
import type { ClientFederationAPI } from '../../federationapi/api.js';
import type { KeysFederation } from './keys-federation-seam.js';

/** The seam over `federationApi()`; its calls throw when that gives nothing. */
export function keysFederationOver(federationApi: () => ClientFederationAPI | undefined): KeysFederation {
  const api = (): ClientFederationAPI => {
    const found = federationApi();
    if (!found) throw new Error('no federationapi in this deployment');
    return found;
  };
  return {
    async queryKeys(serverName, deviceKeys, timeoutMs) {
      const r = await api().queryRemoteKeys({ server: serverName, deviceKeys, timeoutMs });
      return { deviceKeys: r.deviceKeys, masterKeys: r.masterKeys, selfSigningKeys: r.selfSigningKeys };
    },
    async claimKeys(serverName, oneTimeKeys, timeoutMs) {
      return (await api().claimRemoteKeys({ server: serverName, oneTimeKeys, timeoutMs })).oneTimeKeys;
    },
  };
}
