/**
 * A handle on another component's API that is resolved on every call. It lets components that
 * call each other start in any order, and fails with a clear error — never a null dereference —
 * when used before its target exists.
 */
export function lateBoundApi<T>(component: string, resolve: () => object | undefined): T {
  return new Proxy(
    {},
    {
      get(_target, method) {
        if (typeof method !== 'string' || method === 'then') return undefined;
        return (req: unknown) => {
          const api = resolve() as Record<string, unknown> | undefined;
          if (!api) throw new Error(`component ${component} was called (${method}) before it started`);
          const fn = api[method];
          if (typeof fn !== 'function') throw new Error(`component ${component} has no API method ${method}`);
          return (fn as (r: unknown) => Promise<unknown>).call(api, req);
        };
      },
    },
  ) as T;
}
