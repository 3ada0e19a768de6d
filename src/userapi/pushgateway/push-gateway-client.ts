/**
 * The client side of the Push Gateway API (`POST /_matrix/push/v1/notify`). A pusher's URL is
 * chosen by a user, so every call goes through the outbound network policy (DESIGN §9): the host
 * is resolved and each of its addresses checked before any socket opens, and the connection goes
 * to a checked address, never to the name again (no DNS rebinding between check and connect).
 * Redirects are not followed: the spec gives a gateway no reason to redirect, and following one
 * would let it point us anywhere.
 */
import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { JsonObject } from '../../matrix/json.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import { OutboundAddressError } from '../../internal/net/outbound-address-error.js';
import { openCheckedClient, releaseCheckedClient } from '../../internal/net/open-checked-client.js';
import type { PinnedTlsOptions } from '../../internal/net/pinned-connector.js';
import { systemHostResolver, type HostResolver } from '../../internal/net/resolve-checked-addresses.js';
import { readTextUpTo } from '../../internal/net/read-text-up-to.js';
import { runWithDeadline } from '../../internal/util/run-with-deadline.js';
import { PushGatewayError } from './push-gateway-error.js';

/** The spec's `notification` object of `POST /_matrix/push/v1/notify`. */
export interface PushGatewayNotification {
  /** The event's ID (absent for a counts-only update). */
  readonly event_id?: string;
  readonly room_id?: string;
  /** The event's type (omitted by `event_id_only` pushers). */
  readonly type?: string;
  readonly sender?: string;
  readonly sender_display_name?: string;
  readonly room_name?: string;
  readonly room_alias?: string;
  /** Whether the user is the `state_key` of a membership event. */
  readonly user_is_target?: boolean;
  /** `high` when the notification should wake the device. */
  readonly prio?: 'high' | 'low';
  readonly content?: JsonObject;
  /** Badge counts for the user. */
  readonly counts?: { readonly unread?: number; readonly missed_calls?: number };
  /** The user's pushers this notification is for (one gateway may serve several). */
  readonly devices: readonly PushGatewayDevice[];
}

/** One pusher, as the gateway sees it. */
export interface PushGatewayDevice {
  readonly app_id: string;
  readonly pushkey: string;
  /** When the pushkey was last set, in seconds since the epoch. */
  readonly pushkey_ts?: number;
  /** The pusher's `data` minus `url` (the spec: the homeserver keeps the URL to itself). */
  readonly data?: JsonObject;
  /** The tweaks of the push rule's actions (`sound`, …). */
  readonly tweaks?: JsonObject;
}

/** Sends notifications to push gateways. */
export interface PushGatewayClient {
  /**
   * POSTs one notification to `url`; returns the pushkeys the gateway rejected (the caller
   * deletes those pushers). A 4xx answer other than 429 means the gateway will never accept
   * this request: it is logged and counts as delivered with nothing rejected.
   * @throws PushGatewayError: `retryable` for network failures, timeouts, 5xx and 429 (the
   * caller tries again later); not retryable for a non-http(s) URL or a denied address.
   */
  notify(url: string, notification: PushGatewayNotification): Promise<{ readonly rejected: readonly string[] }>;
}

/** Options of {@link createPushGatewayClient}. */
export interface PushGatewayClientOptions {
  readonly guard: NetworkGuard;
  /** Deadline of one call, connection to last byte, in ms (default 10 s). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Logs refused answers; nothing is logged without it. */
  readonly logger?: Logger;
  /** Host resolver (default: the system's); tests map names to addresses with it. */
  readonly resolve?: HostResolver;
  /** TLS overrides (tests only). */
  readonly tls?: PinnedTlsOptions;
}

/** Largest response body read: `{rejected: [...]}` of a few pushkeys is far below it. */
export const MAX_GATEWAY_RESPONSE_BYTES = 64 * 1024;

/**
 * The URL as an absolute http(s) URL without fragment or credentials.
 * @throws PushGatewayError `bad_url`
 */
function parseGatewayUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PushGatewayError('bad_url', 'push gateway URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PushGatewayError('bad_url', `push gateway URL has scheme ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new PushGatewayError('bad_url', 'push gateway URL carries credentials');
  url.hash = '';
  return url;
}

/** The `rejected` pushkeys of a 2xx body; anything malformed counts as none rejected. */
export function parseRejected(text: string | undefined): readonly string[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const rejected = (parsed as { rejected?: unknown }).rejected;
  return Array.isArray(rejected) ? rejected.filter((k): k is string => typeof k === 'string') : [];
}

/** Builds the client; it holds no connections between calls. */
export function createPushGatewayClient(opts: PushGatewayClientOptions): PushGatewayClient {
  const resolve = opts.resolve ?? systemHostResolver;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const headers = {
    'content-type': 'application/json',
    'user-agent': opts.userAgent ?? 'Axon (push)',
    accept: 'application/json',
  };

  async function post(url: URL, payload: string, signal: AbortSignal): Promise<{ readonly rejected: readonly string[] }> {
    const client = await openCheckedClient(url, { guard: opts.guard, resolve, tls: opts.tls ?? {}, timeoutMs });
    let body: Dispatcher.ResponseData['body'] | undefined;
    try {
      const res = await client.request({ method: 'POST', path: `${url.pathname}${url.search}`, headers, body: payload, signal });
      body = res.body;
      const status = res.statusCode;
      if (status >= 500 || status === 429) throw new PushGatewayError('status', `push gateway ${url.origin} answered ${status}`);
      if (status < 200 || status > 299) {
        opts.logger?.warn({ gateway: url.origin, status }, 'push gateway refused the notification; not retrying');
        return { rejected: [] };
      }
      const text = await readTextUpTo(res.body, MAX_GATEWAY_RESPONSE_BYTES);
      if (text === undefined) opts.logger?.warn({ gateway: url.origin }, 'push gateway answer too large; ignoring it');
      return { rejected: parseRejected(text) };
    } finally {
      releaseCheckedClient(client, body);
    }
  }

  return {
    async notify(text, notification) {
      const url = parseGatewayUrl(text);
      const payload = JSON.stringify({ notification });
      return runWithDeadline(
        timeoutMs,
        (signal) =>
          post(url, payload, signal).catch((e: unknown) => {
            if (e instanceof PushGatewayError) throw e;
            if (e instanceof OutboundAddressError) throw new PushGatewayError('blocked', e.message, { cause: e });
            throw new PushGatewayError('network', `push gateway ${url.origin}: ${(e as Error).message}`, { cause: e });
          }),
        (e) => new PushGatewayError('timeout', `push gateway ${url.origin} gave no answer within ${timeoutMs} ms`, { cause: e }),
      );
    },
  };
}
