/**
 * Why an outbound preview fetch failed. Kept apart from `MatrixError` so the fetching code says
 * what happened and only the previewer decides what the client is told (`to-matrix-error.ts`).
 */

/**
 * - `blocked_ip`: the URL names an IP literal in a denied network;
 * - `blocked_name`: a host name resolved to at least one denied address;
 * - `dns`: the host name has no address;
 * - `bad_url`: not an http(s) URL, or a redirect to one;
 * - `too_many_redirects`, `too_large`, `timeout`, `network`: as named;
 * - `status`: the final answer was not 2xx.
 */
export type PreviewFetchErrorKind =
  | 'blocked_ip'
  | 'blocked_name'
  | 'dns'
  | 'bad_url'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'network'
  | 'status';

/** A failed outbound fetch, with its kind. */
export class PreviewFetchError extends Error {
  override readonly name = 'PreviewFetchError';

  /**
   * @param kind What went wrong.
   * @param message Details for logs (may name the URL; never shown for `network` failures).
   */
  constructor(
    readonly kind: PreviewFetchErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
