/**
 * One handle per component API, so a component's `inthttp.ts` is a single line and the component
 * name and method table are written once for the client, the server and the short-circuit.
 *
 * @example
 * // roomserver/inthttp.ts
 * export const roomserverInternalApi = defineInternalApi<RoomserverAPI>('roomserver', RoomserverAPIMethods);
 * // src/setup: polylith caller / internal listener / monolith caller
 * roomserverInternalApi.client({ baseUrl, timeoutMs, sharedSecret });
 * roomserverInternalApi.routes(roomserverImpl, { sharedSecret });
 * roomserverInternalApi.inProcess(roomserverImpl);
 */
import type { AnyRoute } from '../httputil/route.js';
import { createRpcClient, type RpcClientOptions } from './create-rpc-client.js';
import { inProcessApi, type InProcessApiOptions } from './in-process-api.js';
import { rpcMethodNames, type RpcApi, type RpcMethods } from './rpc-protocol.js';
import { rpcRoutes, type RpcRoutesOptions } from './rpc-routes.js';

export interface InternalApi<T> {
  /** The component's name, the path segment of its methods. */
  readonly component: string;
  /** The method table. */
  readonly methods: RpcMethods<T>;
  /** The HTTP client, for callers in other processes. */
  client(opts: RpcClientOptions<T>): T;
  /** The route descriptors serving `impl`, for the internal listener. */
  routes(impl: T, opts?: RpcRoutesOptions): AnyRoute[];
  /** The short-circuit, for callers in the same process. */
  inProcess(impl: T, opts?: InProcessApiOptions): T;
}

/** Binds a component name to its method table; names are checked now rather than at first call. */
export function defineInternalApi<T extends RpcApi<T>>(component: string, methods: RpcMethods<T>): InternalApi<T> {
  rpcMethodNames(component, methods);
  return {
    component,
    methods,
    client: (opts) => createRpcClient<T>(component, methods, opts),
    routes: (impl, opts) => rpcRoutes<T>(component, methods, impl, opts),
    inProcess: (impl, opts) => inProcessApi<T>(component, methods, impl, opts),
  };
}
