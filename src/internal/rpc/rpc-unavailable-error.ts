/**
 * An internal API call that got no answer: connection refused or reset, the deadline passed, or
 * something in front of the component (the server closing, a proxy) said it is unavailable.
 * The call may or may not have run; retrying is safe for `query…` methods and for idempotent
 * `perform…`/`input…` methods.
 */

/**
 * - `network`: the connection failed (refused, reset, DNS);
 * - `timeout`: no complete answer within the client's `timeoutMs`;
 * - `unavailable`: a 502/503/504 that did not come from the method itself.
 */
export type RpcUnavailableReason = 'network' | 'timeout' | 'unavailable';

export class RpcUnavailableError extends Error {
  override readonly name = 'RpcUnavailableError';
  /** The component may answer a later attempt. */
  readonly retriable = true;

  /**
   * @param component The component called.
   * @param method The method called.
   * @param reason Why there was no answer.
   * @param detail What the HTTP client reported, for logs.
   * @param cause The underlying error, if any.
   */
  constructor(
    readonly component: string,
    readonly method: string,
    readonly reason: RpcUnavailableReason,
    detail: string,
    cause?: unknown,
  ) {
    super(`${component}.${method} unavailable (${reason}): ${detail}`, cause === undefined ? undefined : { cause });
  }
}
