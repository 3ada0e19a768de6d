/**
 * Why a guarded outbound connection was refused before any socket opened. Each caller turns it
 * into its own vocabulary (a URL-preview error, a push-gateway failure), so this module never
 * decides what a client is told.
 */

/**
 * - `blocked_ip`: the URL names an IP literal in a denied network (or every address was denied);
 * - `blocked_name`: a host name resolved to at least one denied address;
 * - `dns`: the host name has no address.
 */
export type OutboundAddressErrorKind = 'blocked_ip' | 'blocked_name' | 'dns';

/** A destination the network guard refused, or that does not resolve. */
export class OutboundAddressError extends Error {
  override readonly name = 'OutboundAddressError';

  /**
   * @param kind What was refused.
   * @param message Details for logs (names the host and the denied address).
   */
  constructor(
    readonly kind: OutboundAddressErrorKind,
    message: string,
  ) {
    super(message);
  }
}
