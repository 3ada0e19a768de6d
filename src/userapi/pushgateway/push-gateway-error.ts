/**
 * Why a call to a push gateway failed. `retryable` tells the caller whether trying the same
 * notification again later can help (a gateway that is down or slow) or cannot (a URL that is not
 * http(s), or one the outbound network policy refuses).
 */

/**
 * - `bad_url`: not an absolute http(s) URL (never retried);
 * - `blocked`: the host is in a denied network or does not resolve (never retried: the policy
 *   does not change between attempts; a name that does not resolve yet is rare enough);
 * - `status`: the gateway answered 5xx or 429 (retried);
 * - `timeout`: no complete answer within the deadline (retried);
 * - `network`: the connection failed or broke (retried).
 */
export type PushGatewayErrorKind = 'bad_url' | 'blocked' | 'status' | 'timeout' | 'network';

/** A failed push-gateway call. */
export class PushGatewayError extends Error {
  override readonly name = 'PushGatewayError';

  /**
   * @param kind What went wrong.
   * @param message Details for logs (may name the URL).
   */
  constructor(
    readonly kind: PushGatewayErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Whether trying again later may succeed. */
  get retryable(): boolean {
    return this.kind === 'status' || this.kind === 'timeout' || this.kind === 'network';
  }
}
