/**
 * An undici client for one request to a URL someone else chose (a URL preview, a pusher's
 * gateway, a remote media `Location`): the host is resolved once, every address checked against
 * the network guard, and the socket opened to a checked address only (no second resolution, so
 * DNS rebinding cannot slip past the check). The caller's deadline governs the exchange.
 */
import type { Client, Dispatcher } from 'undici';
import { loadUndici } from '../rpc/rpc-dispatcher.js';
import type { NetworkGuard } from './network-guard.js';
import { createPinnedConnector, type PinnedTlsOptions } from './pinned-connector.js';
import { bareHostname, resolveCheckedAddresses, type HostResolver } from './resolve-checked-addresses.js';

export interface CheckedClientOptions {
  readonly guard: NetworkGuard;
  readonly resolve: HostResolver;
  readonly tls: PinnedTlsOptions;
  /** Connect deadline, in ms. */
  readonly timeoutMs: number;
}

/**
 * The client for `url`'s origin; destroy it after the request.
 * @throws OutboundAddressError when the host cannot be resolved or an address is denied
 */
export async function openCheckedClient(url: URL, o: CheckedClientOptions): Promise<Client> {
  const addresses = await resolveCheckedAddresses(url, o.guard, o.resolve);
  const secure = url.protocol === 'https:';
  const target = { addresses, secure, hostname: bareHostname(url), port: url.port === '' ? (secure ? 443 : 80) : Number(url.port) };
  return new (loadUndici().Client)(url.origin, {
    connect: createPinnedConnector(target, o.guard, o.tls, o.timeoutMs),
    // The caller's deadline governs; undici's own 300 s timers would only hide it.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

/** Drops a response body left unread (the abort this causes is expected) and the client. */
export function releaseCheckedClient(client: Client, body: Dispatcher.ResponseData['body'] | undefined): void {
  if (body && !body.readableEnded) {
    body.on('error', () => undefined);
    body.destroy();
  }
  void client.destroy().catch(() => undefined);
}
