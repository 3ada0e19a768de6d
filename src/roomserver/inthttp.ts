/** The roomserver's internal API over HTTP: client, routes and short-circuit from its method table. */
import { defineInternalApi } from '../internal/rpc/define-internal-api.js';
import { RoomserverAPIMethods, type RoomserverAPI } from './api.js';

export const roomserverInternalApi = defineInternalApi<RoomserverAPI>('roomserver', RoomserverAPIMethods);
