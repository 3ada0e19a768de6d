/**
 * The monolith's short-circuit: callers get the implementation itself, behind a thin wrapper that
 * makes it behave as the HTTP client would. An error the implementation throws that is not a
 * registered kind (see `rpc-error-codec.ts`) becomes an {@link RpcRemoteError} (with the original
 * as `cause`), as it would over HTTP, so no caller can come to depend on a class only the
 * monolith shows.
 *
 * With checks on (the default outside production) every request, response and error is also
 * asserted JSON-safe and copied through JSON, so a Map, a Buffer or shared mutable state that
 * would silently change over HTTP fails in development instead.
 */
import { assertJsonSafe, jsonRoundTrip, jsonSafetyChecksByDefault } from './assert-json-safe.js';
import { decodeRpcError, encodeRpcError, rpcErrorKindOf, type RpcCallSite } from './rpc-error-codec.js';
import { bindRpcMethod, rpcMethodNames, type RpcApi, type RpcMethods } from './rpc-protocol.js';
import { RpcRemoteError } from './rpc-remote-error.js';

export interface InProcessApiOptions {
  /** Assert JSON safety and copy through JSON; defaults to on under the test runner (AXON_RPC_CHECKS=1). */
  readonly checkJsonSafety?: boolean;
}

type Call = (req: unknown) => Promise<unknown>;

/**
 * The in-process form of a component's API, for callers in the same process.
 *
 * @param component The component's name, as in its RPC paths.
 * @param methods Its method table; only these methods are exposed.
 * @param impl The implementation.
 */
export function inProcessApi<T extends RpcApi<T>>(
  component: string,
  methods: RpcMethods<T>,
  impl: T,
  opts: InProcessApiOptions = {},
): T {
  const check = opts.checkJsonSafety ?? jsonSafetyChecksByDefault();
  const api: Record<string, Call> = {};
  for (const method of rpcMethodNames(component, methods)) {
    const call = bindRpcMethod(impl, component, method);
    api[method] = check ? checkedCall(call, { component, method }) : plainCall(call, { component, method });
  }
  return Object.freeze(api) as unknown as T;
}

function plainCall(call: Call, at: RpcCallSite): Call {
  return async (req) => {
    try {
      return await call(req);
    } catch (e) {
      if (rpcErrorKindOf(e)) throw e;
      throw new RpcRemoteError(e instanceof Error ? `${e.name}: ${e.message}` : String(e), {
        ...at,
        origin: 'implementation',
        status: 500,
        cause: e,
      });
    }
  };
}

function checkedCall(call: Call, at: RpcCallSite): Call {
  const name = `${at.component}.${at.method}`;
  return async (req) => {
    assertJsonSafe(req, `${name} request`);
    let res: unknown;
    try {
      res = await call(jsonRoundTrip(req));
    } catch (e) {
      const wire = encodeRpcError(e);
      assertJsonSafe(wire, `${name} error`);
      throw decodeRpcError(jsonRoundTrip(wire), at, e) ?? e;
    }
    if (res !== undefined) assertJsonSafe(res, `${name} response`);
    return jsonRoundTrip(res);
  };
}
