/**
 * An internal API call that reached the other side and failed there in a way the caller cannot
 * act on: the implementation threw something that is not a registered error kind (a bug, a lost
 * database), or the answer was not an RPC answer at all (wrong shared secret, unknown method,
 * unparsable body, a proxy's error page). Callers treat it like any unexpected error (500);
 * they never read its message, which is kept for logs.
 */

/**
 * - `implementation`: the method ran and threw an unregistered error;
 * - `transport`: the request never reached the method, or the answer was not understood.
 */
export type RpcRemoteErrorOrigin = 'implementation' | 'transport';

export interface RpcRemoteErrorDetails {
  readonly component: string;
  readonly method: string;
  readonly origin: RpcRemoteErrorOrigin;
  /** The HTTP status of the answer (500 for an in-process failure). */
  readonly status: number;
  /** The `errcode` of a transport error body, when it had one (e.g. `M_FORBIDDEN` for a bad secret). */
  readonly errcode?: string;
  /** The original error, when it was thrown in this process (monolith). */
  readonly cause?: unknown;
}

export class RpcRemoteError extends Error {
  override readonly name = 'RpcRemoteError';
  /** Retrying the same call would fail the same way. */
  readonly retriable = false;
  readonly component: string;
  readonly method: string;
  readonly origin: RpcRemoteErrorOrigin;
  readonly status: number;
  readonly errcode: string | undefined;

  /**
   * @param message The remote error's message, for logs only.
   * @param details Where it happened and how it was reported.
   */
  constructor(message: string, details: RpcRemoteErrorDetails) {
    const where = `${details.component}.${details.method}`;
    super(`${where}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.component = details.component;
    this.method = details.method;
    this.origin = details.origin;
    this.status = details.status;
    this.errcode = details.errcode;
  }
}
