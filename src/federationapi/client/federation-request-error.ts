/**
 * The failure of an outbound federation request. It is deliberately not a `MatrixError`: a
 * remote server's `403 M_FORBIDDEN` says nothing about what *our* client may do, so callers
 * decide what a remote failure means for them (retry, back off, try another server, or answer
 * their own client with an error of their choosing) instead of passing it through blindly.
 */

/**
 * Why the request failed:
 * - `http`: the remote answered with a non-2xx status (`status`, and `errcode`/`error` if its
 *   body was a Matrix error);
 * - `resolve`: the server name could not be resolved to any address;
 * - `blocked`: every resolved address is in a denied network (DESIGN §9);
 * - `network`: connecting, TLS (including certificate verification) or the transfer failed;
 * - `timeout`: the request did not complete within its time limit;
 * - `too_large`: the response body exceeded the size limit;
 * - `bad_response`: a 2xx response whose body is not the JSON expected.
 */
export type FederationFailureKind = 'http' | 'resolve' | 'blocked' | 'network' | 'timeout' | 'too_large' | 'bad_response';

/** Details of a {@link FederationRequestError}. */
export interface FederationRequestErrorInit {
  readonly destination: string;
  readonly kind: FederationFailureKind;
  readonly message: string;
  readonly status?: number | undefined;
  readonly errcode?: string | undefined;
  readonly error?: string | undefined;
  readonly cause?: unknown;
}

/** An outbound federation request that did not produce the expected JSON. */
export class FederationRequestError extends Error {
  override readonly name = 'FederationRequestError';
  /** The server name the request was for. */
  readonly destination: string;
  /** The class of failure; see {@link FederationFailureKind}. */
  readonly kind: FederationFailureKind;
  /** The HTTP status, for `http` failures. */
  readonly status: number | undefined;
  /** The remote's `errcode`, if it sent a Matrix error body. */
  readonly errcode: string | undefined;
  /** The remote's `error` text, if it sent one (remote-controlled: never show it as ours). */
  readonly error: string | undefined;

  constructor(init: FederationRequestErrorInit) {
    super(`${init.destination}: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.destination = init.destination;
    this.kind = init.kind;
    this.status = init.status;
    this.errcode = init.errcode;
    this.error = init.error;
  }
}

/** Whether `e` is a {@link FederationRequestError}. */
export function isFederationRequestError(e: unknown): e is FederationRequestError {
  return e instanceof FederationRequestError;
}
