/**
 * The check that keeps monolith and polylith from diverging: internal API requests and responses
 * must survive `JSON.stringify` → `JSON.parse` unchanged. `JSON.stringify` is lenient where that
 * hurts — a Map or Set becomes `{}`, a Buffer becomes `{type, data}`, a Date becomes a string,
 * `NaN` becomes `null`, `undefined` in an array becomes `null` — so a value that works in process
 * could arrive changed over HTTP. This walks the value and names the first offending path.
 *
 * `undefined` as an object property value is allowed: it is how optional fields are written, and
 * both transports drop it (the in-process checked path does a JSON round trip too).
 */

/** Thrown by {@link assertJsonSafe}; `path` locates the offending value, e.g. `req.rooms[2].ts`. */
export class NotJsonSafeError extends TypeError {
  override readonly name = 'NotJsonSafeError';

  /**
   * @param path Where the value is, starting with the root name given to the check.
   * @param reason What is wrong with it (for logs; tests compare `path`).
   */
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} is not JSON-safe: ${reason}`);
  }
}

/**
 * Throws {@link NotJsonSafeError} unless `value` is plain JSON data: `null`, booleans, strings,
 * finite numbers, arrays without holes or `undefined`, and objects whose prototype is
 * `Object.prototype` or `null`, with no symbol keys and no cycles.
 *
 * @param value The value to check; `undefined` at the root is rejected.
 * @param path The name of the root in error paths, e.g. `roomserver.queryState request`.
 */
export function assertJsonSafe(value: unknown, path = '$'): void {
  check(value, path, new Set());
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function check(value: unknown, path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonSafeError(path, `non-finite number ${String(value)}`);
      return;
    case 'object':
      if (value === null) return;
      if (ancestors.has(value)) throw new NotJsonSafeError(path, 'cycle');
      ancestors.add(value);
      if (Array.isArray(value)) checkArray(value, path, ancestors);
      else checkObject(value, path, ancestors);
      ancestors.delete(value);
      return;
    default:
      // undefined, bigint, symbol, function
      throw new NotJsonSafeError(path, typeof value);
  }
}

function checkArray(arr: unknown[], path: string, ancestors: Set<object>): void {
  if (Object.getPrototypeOf(arr) !== Array.prototype) throw new NotJsonSafeError(path, 'array subclass');
  for (let i = 0; i < arr.length; i++) {
    const at = `${path}[${i}]`;
    if (!(i in arr)) throw new NotJsonSafeError(at, 'hole in an array');
    if (arr[i] === undefined) throw new NotJsonSafeError(at, 'undefined in an array');
    check(arr[i], at, ancestors);
  }
}

function checkObject(obj: object, path: string, ancestors: Set<object>): void {
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    throw new NotJsonSafeError(path, `instance of ${constructorName(obj)}`);
  }
  if (Object.getOwnPropertySymbols(obj).length > 0) throw new NotJsonSafeError(path, 'symbol keys');
  const rec = obj as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    if (v === undefined) continue;
    check(v, IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, ancestors);
  }
}

function constructorName(obj: object): string {
  const ctor: unknown = (obj as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'a class';
}

/**
 * Whether the JSON-safety checks run when a caller does not say: in the test suite (the runner
 * sets AXON_RPC_CHECKS=1), so monolith and polylith cannot diverge unnoticed; off in a running
 * server, where the monolith's short-circuit should cost nothing.
 */
export function jsonSafetyChecksByDefault(): boolean {
  return process.env.AXON_RPC_CHECKS === '1';
}

/** A deep copy through JSON, as the HTTP transport would make it; `undefined` stays `undefined`. */
export function jsonRoundTrip<V>(value: V): V {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as V);
}
