/** The userapi's internal API over HTTP: client, routes and short-circuit from its method table. */
import { defineInternalApi } from '../internal/rpc/define-internal-api.js';
import { UserAPIMethods, type UserAPI } from './api.js';

export const userapiInternalApi = defineInternalApi<UserAPI>('userapi', UserAPIMethods);
