/**
 * Outbound GET for URL previews, with the limits a fetch on behalf of any user needs: http(s)
 * only, every hop's host resolved and checked against the network guard before connecting
 * (redirects included, each one re-checked), at most 10 redirects, one deadline over the whole
 * chain, and a byte cap enforced while the body streams in (a declared `Content-Length` over the
 * cap is refused before reading).
 */
import type { Dispatcher } from 'undici';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import { OutboundAddressError } from '../../internal/net/outbound-address-error.js';
import { headerText } from '../../internal/net/header-text.js';
import { openCheckedClient, releaseCheckedClient } from '../../internal/net/open-checked-client.js';
import type { PinnedTlsOptions as PreviewTlsOptions } from '../../internal/net/pinned-connector.js';
import { systemHostResolver, type HostResolver } from '../../internal/net/resolve-checked-addresses.js';
import { runWithDeadline } from '../../internal/util/run-with-deadline.js';
import { PreviewFetchError } from './preview-fetch-error.js';

/** A fetched resource. */
export interface FetchedResource {
  /** The URL finally answered (after redirects). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The media type, lower case, without parameters; `''` if absent. */
  readonly mediaType: string;
  /** The body; empty when `wantBody` declined the media type. */
  readonly body: Buffer;
}

/**
 * Fetches `url`; `wantBody(mediaType)` decides, once the headers are in, whether the body is worth
 * downloading (a preview of a video needs none of it).
 * @throws PreviewFetchError
 */
export type GuardedFetcher = (url: string, wantBody: (mediaType: string) => boolean) => Promise<FetchedResource>;

/** Options of {@link createGuardedFetcher}. */
export interface GuardedFetcherOptions {
  readonly guard: NetworkGuard;
  /** Defaults to the system resolver. */
  readonly resolve?: HostResolver;
  /** Deadline for the whole redirect chain and body, in ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Largest body read, in bytes (default 10 MiB). */
  readonly maxBytes?: number;
  /** Redirects followed (default 10). */
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  readonly tls?: PreviewTlsOptions;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The URL as an http(s) URL without its fragment (never sent to the server).
 * @throws PreviewFetchError `bad_url`
 */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PreviewFetchError('bad_url', 'not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PreviewFetchError('bad_url', `${url.protocol} URLs cannot be previewed`);
  if (url.username !== '' || url.password !== '') throw new PreviewFetchError('bad_url', 'URLs with credentials cannot be previewed');
  url.hash = '';
  return url;
}

/** A response as {@link GuardedStreamer} hands it over: headers in, body still to read. */
export interface GuardedResponse {
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly mediaType: string;
  /** The body, to read at most once; reading past `maxBytes` throws `too_large`. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Fetches `url` like the {@link GuardedFetcher} (same guard, redirects, deadline and byte cap),
 * but hands the 2xx response to `consume` to read as it streams (remote media to disk).
 * @throws PreviewFetchError, or what `consume` throws
 */
export type GuardedStreamer = <T>(url: string, consume: (res: GuardedResponse) => Promise<T>) => Promise<T>;

type Hop<T> = { readonly redirect: URL } | { readonly result: T };

/** The body's chunks, failing once more than `maxBytes` have arrived. */
async function* capped(body: Dispatcher.ResponseData['body'], maxBytes: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new PreviewFetchError('too_large', `body exceeds ${maxBytes} bytes`);
    yield buf;
  }
}

/** Builds the streamer; it holds no state between calls (one short-lived connection per hop). */
export function createGuardedStreamer(opts: GuardedFetcherOptions): GuardedStreamer {
  const resolve = opts.resolve ?? systemHostResolver;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 10;
  const headers = {
    'user-agent': opts.userAgent ?? 'Axon (URL preview)',
    accept: 'text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.5',
    'accept-encoding': 'identity',
  };

  async function hop<T>(url: URL, consume: (res: GuardedResponse) => Promise<T>, signal: AbortSignal): Promise<Hop<T>> {
    const client = await openCheckedClient(url, { guard: opts.guard, resolve, tls: opts.tls ?? {}, timeoutMs });
    let body: Dispatcher.ResponseData['body'] | undefined;
    try {
      const res = await client.request({ method: 'GET', path: `${url.pathname}${url.search}`, headers, signal });
      body = res.body;
      const location = headerText(res.headers, 'location');
      if (REDIRECTS.has(res.statusCode) && location !== undefined) return { redirect: parseHttpUrl(new URL(location, url).href) };
      if (res.statusCode < 200 || res.statusCode > 299) throw new PreviewFetchError('status', `${url.href} answered ${res.statusCode}`);
      if (Number(headerText(res.headers, 'content-length') ?? NaN) > maxBytes) throw new PreviewFetchError('too_large', `declared body exceeds ${maxBytes} bytes`);
      const mediaType = (headerText(res.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      return { result: await consume({ url: url.href, headers: res.headers, mediaType, body: capped(res.body, maxBytes) }) };
    } finally {
      releaseCheckedClient(client, body);
    }
  }

  return (text, consume) =>
    runWithDeadline(
      timeoutMs,
      async (signal) => {
        try {
          let url = parseHttpUrl(text);
          for (let redirects = 0; ; redirects++) {
            const next = await hop(url, consume, signal);
            if ('result' in next) return next.result;
            if (redirects >= maxRedirects) throw new PreviewFetchError('too_many_redirects', `more than ${maxRedirects} redirects`);
            url = next.redirect;
          }
        } catch (e) {
          // The consumer's own verdicts (a full disk, a size limit of its own) pass unchanged.
          if (e instanceof PreviewFetchError || e instanceof MatrixError) throw e;
          if (e instanceof OutboundAddressError) throw new PreviewFetchError(e.kind, e.message, { cause: e });
          throw new PreviewFetchError('network', (e as Error).message, { cause: e });
        }
      },
      (e) => new PreviewFetchError('timeout', `no complete answer within ${timeoutMs} ms`, { cause: e }),
    );
}

/** Builds the fetcher: the streamer, reading wanted bodies whole. */
export function createGuardedFetcher(opts: GuardedFetcherOptions): GuardedFetcher {
  const stream = createGuardedStreamer(opts);
  return (text, wantBody) =>
    stream(text, async (res) => {
      if (!wantBody(res.mediaType)) return { url: res.url, headers: res.headers, mediaType: res.mediaType, body: Buffer.alloc(0) };
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) chunks.push(chunk);
      return { url: res.url, headers: res.headers, mediaType: res.mediaType, body: Buffer.concat(chunks) };
    });
}
