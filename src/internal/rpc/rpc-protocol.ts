/**
 * The internal RPC's wire protocol, shared by the generated client and server.
 *
 * - A call is `POST /_axon/internal/<component>/<method>` with the request as the JSON body and,
 *   when the deployment has one, the shared secret in `X-Axon-Internal-Secret`.
 * - Success is `200` with the JSON response, or `204` with no body when the method returned
 *   `undefined` (`input…` methods that answer nothing).
 * - An error thrown by the implementation is answered with the status it carries and a JSON body
 *   `{kind, status, error, …}` (see `rpc-error-codec.ts`). Any other answer (no `kind`: a bad
 *   secret, an unknown method, an unparsable body, a proxy's page) is a transport failure.
 */

/** Every internal route lives under this prefix, served only by the internal listener. */
export const INTERNAL_PATH_PREFIX = '/_axon/internal';

/** The header carrying `listen.internal.shared_secret` (Node lower-cases header names). */
export const SHARED_SECRET_HEADER = 'x-axon-internal-secret';

/**
 * A component's method table: one `true` per method of its API interface, so the compiler rejects
 * a table that misses a method or names one the interface lacks.
 *
 * @example
 * export const DemoAPIMethods = { queryThing: true } as const satisfies RpcMethods<DemoAPI>;
 */
export type RpcMethods<T> = Readonly<Record<keyof T, true>>;

/** What an internal API interface must look like: every member is `(req) => Promise<res>`. */
export type RpcApi<T> = { readonly [K in keyof T]: (req: never) => Promise<unknown> };

/**
 * Any internal API, for wiring code that handles components by name (`src/setup/`), where the
 * table is `Readonly<Record<string, true>>` and the implementation an `object`.
 */
export type AnyRpcApi = Readonly<Record<string, (req: never) => Promise<unknown>>>;

const COMPONENT_NAME = /^[a-z][a-z0-9_-]*$/;
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The path of one method; throws when a name could not stand as a path segment. */
export function rpcPath(component: string, method: string): string {
  if (!COMPONENT_NAME.test(component)) throw new Error(`invalid internal API component name: ${JSON.stringify(component)}`);
  if (!METHOD_NAME.test(method)) throw new Error(`invalid internal API method name: ${component}.${JSON.stringify(method)}`);
  return `${INTERNAL_PATH_PREFIX}/${component}/${method}`;
}

/** The method names of a table, checked once when a client or server is built. */
export function rpcMethodNames<T>(component: string, methods: RpcMethods<T>): string[] {
  const names = Object.keys(methods);
  if (names.length === 0) throw new Error(`internal API ${component} has an empty method table`);
  for (const n of names) rpcPath(component, n);
  return names;
}

/** A method of an implementation, bound to it; throws when the implementation lacks it. */
export function bindRpcMethod(impl: object, component: string, method: string): (req: unknown) => Promise<unknown> {
  const fn: unknown = (impl as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`the ${component} implementation has no method ${method}`);
  return (req) => (fn as (r: unknown) => Promise<unknown>).call(impl, req);
}
