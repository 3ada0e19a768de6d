/** The federationapi's internal API over HTTP: client, routes and short-circuit from its method table. */
import { defineInternalApi } from '../internal/rpc/define-internal-api.js';
import { FederationAPIMethods, type FederationAPI } from './api.js';

export const federationapiInternalApi = defineInternalApi<FederationAPI>('federationapi', FederationAPIMethods);
