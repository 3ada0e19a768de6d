/** The mediaapi's internal API over HTTP: client, routes and short-circuit from its method table. */
import { defineInternalApi } from '../internal/rpc/define-internal-api.js';
import { MediaAPIMethods, type MediaAPI } from './api.js';

export const mediaapiInternalApi = defineInternalApi<MediaAPI>('mediaapi', MediaAPIMethods);
