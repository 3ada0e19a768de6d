/**
 * How errors cross the internal RPC. An error the implementation throws is encoded as
 * `{kind, status, error, …data}` and rebuilt on the caller's side by the rebuilder registered for
 * its `kind`, so callers see the same class with the same fields in a monolith and in a polylith.
 *
 * Built in: `matrix` (a {@link MatrixError}: `{kind: 'matrix', errcode, error, status, extra}`)
 * and `internal` (anything unregistered, rebuilt as {@link RpcRemoteError}). A component that
 * needs callers to branch on another error (say a rejected event carrying a reason code)
 * registers a kind from its `api.ts`, which both its client and its server import.
 */
import { MatrixError, type MatrixErrorJSON } from '../errors/matrix-error.js';
import { RpcRemoteError } from './rpc-remote-error.js';

/** What every encoded error carries besides its `kind`. */
export interface RpcErrorData {
  /** HTTP status of the answer, 400–599 (anything else is sent as 500). */
  readonly status: number;
  /** Human-readable message, for logs. */
  readonly error: string;
}

/** An encoded error as read off the wire: the discriminating `kind`, the common fields, the kind's own fields. */
export type RpcErrorWire = RpcErrorData & { readonly kind: string; readonly [field: string]: unknown };

/**
 * A registered error kind: how to recognise, encode and rebuild one error class.
 *
 * @typeParam E The error class.
 * @typeParam W Its wire form: {@link RpcErrorData} plus the JSON-safe fields the class needs.
 */
export interface RpcErrorKind<E extends Error = Error, W extends RpcErrorData = RpcErrorData> {
  /** The wire discriminator; `internal` is reserved. */
  readonly kind: string;
  /** Whether this kind carries `err`. */
  is(err: unknown): err is E;
  /** The JSON-safe wire form; its `kind` field is set from {@link RpcErrorKind.kind}. */
  encode(err: E): W;
  /**
   * The rebuilt error, or `undefined` when the wire data is malformed. Only `kind` has been
   * checked: the rebuilder validates every field it reads, as it came off the network.
   */
  decode(wire: RpcErrorWire): E | undefined;
}

/** Which call an error belongs to, for the messages of rebuilt {@link RpcRemoteError}s. */
export interface RpcCallSite {
  readonly component: string;
  readonly method: string;
}

const INTERNAL_KIND = 'internal';
const kinds = new Map<string, RpcErrorKind>();

/**
 * Makes an error kind known to this process's clients and servers. Registering the same object
 * twice is harmless; two different rebuilders for one `kind` is a programming error.
 */
export function registerRpcErrorKind<E extends Error, W extends RpcErrorData>(k: RpcErrorKind<E, W>): void {
  if (k.kind === INTERNAL_KIND) throw new Error(`the RPC error kind "${INTERNAL_KIND}" is reserved`);
  const existing = kinds.get(k.kind);
  const kind = k as unknown as RpcErrorKind;
  if (existing && existing !== kind) throw new Error(`RPC error kind "${k.kind}" is already registered`);
  kinds.set(k.kind, kind);
}

/** The built-in kind for {@link MatrixError}. */
export const MATRIX_ERROR_KIND: RpcErrorKind<MatrixError, MatrixErrorJSON> = {
  kind: 'matrix',
  is: (err): err is MatrixError => err instanceof MatrixError,
  encode: (err) => err.toJSON(),
  decode: (wire) => {
    if (!MatrixError.isMatrixErrorJSON(wire)) return undefined;
    const extra: unknown = wire.extra;
    if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) return undefined;
    return MatrixError.fromJSON(wire);
  },
};
registerRpcErrorKind(MATRIX_ERROR_KIND);

/** The registered kind that carries `err`, if any. */
export function rpcErrorKindOf(err: unknown): RpcErrorKind | undefined {
  for (const k of kinds.values()) if (k.is(err)) return k;
  return undefined;
}

/** Encodes any thrown value; unregistered ones become `{kind: 'internal', status: 500, error, name}`. */
export function encodeRpcError(err: unknown): RpcErrorWire {
  const k = rpcErrorKindOf(err);
  if (k) {
    const w = k.encode(err as Error);
    const status = Number.isInteger(w.status) && w.status >= 400 && w.status <= 599 ? w.status : 500;
    return { ...w, kind: k.kind, status };
  }
  const e = err instanceof Error ? err : undefined;
  return { kind: INTERNAL_KIND, status: 500, error: e ? e.message : String(err), name: e ? e.name : typeof err };
}

/**
 * Rebuilds an encoded error. Returns `undefined` when `body` is not an RPC error at all (no string
 * `kind`), which the caller reports as a transport failure.
 *
 * @param body The parsed answer.
 * @param at The call, for the messages of rebuilt remote errors.
 * @param cause The original error when it was thrown in this process.
 */
export function decodeRpcError(body: unknown, at: RpcCallSite, cause?: unknown): Error | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const o = body as Record<string, unknown>;
  if (typeof o.kind !== 'string') return undefined;
  const status = typeof o.status === 'number' ? o.status : 500;
  const message = typeof o.error === 'string' ? o.error : '(no message)';
  if (o.kind === INTERNAL_KIND) {
    const name = typeof o.name === 'string' ? `${o.name}: ` : '';
    return new RpcRemoteError(`${name}${message}`, { ...at, origin: 'implementation', status, cause });
  }
  const k = kinds.get(o.kind);
  if (!k) {
    // A newer peer's kind: still the method's own failure, but not one this process can rebuild.
    return new RpcRemoteError(`unknown error kind "${o.kind}": ${message}`, { ...at, origin: 'implementation', status, cause });
  }
  const rebuilt = k.decode(o as RpcErrorWire);
  return rebuilt ?? new RpcRemoteError(`malformed "${o.kind}" error: ${message}`, { ...at, origin: 'transport', status, cause });
}
