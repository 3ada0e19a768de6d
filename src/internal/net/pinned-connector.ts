/**
 * The socket factory of one guarded outbound connection (a URL-preview hop, a push-gateway call).
 * It connects to addresses resolved and checked before the request began, never to a name, so nothing can re-resolve the name to a private address
 * between the check and the connection (DNS rebinding); each address is checked once more right
 * before its socket opens. For https the certificate is verified against the URL's host name.
 */
import { isIP, type Socket } from 'node:net';
import { connectSocket } from './connect-socket.js';
import type { buildConnector } from 'undici';
import type { NetworkGuard } from './network-guard.js';
import { OutboundAddressError } from './outbound-address-error.js';

/** Where one hop's connection goes. */
export interface PinnedTarget {
  /** Checked addresses, in the resolver's order. */
  readonly addresses: readonly string[];
  readonly port: number;
  readonly secure: boolean;
  /** The URL's host name: certificate name and SNI (not sent for IP literals). */
  readonly hostname: string;
}

/** TLS overrides; only tests change them. */
export interface PinnedTlsOptions {
  /** Trusted CAs instead of Node's default store. */
  readonly ca?: readonly string[];
}

function open(address: string, target: PinnedTarget, tls: PinnedTlsOptions, timeoutMs: number): Promise<Socket> {
  const secure = target.secure
    ? { ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}), ...(tls.ca ? { ca: [...tls.ca] } : {}) }
    : undefined;
  return connectSocket({ address, port: target.port, ...(secure ? { tls: secure } : {}) }, timeoutMs);
}

/** An undici `connect` function that only ever reaches `target`'s checked addresses. */
export function createPinnedConnector(
  target: PinnedTarget,
  guard: NetworkGuard,
  tls: PinnedTlsOptions,
  connectTimeoutMs: number,
): buildConnector.connector {
  return (_opts, callback) => {
    void (async () => {
      let lastError: Error = new OutboundAddressError('blocked_ip', 'every address of the host is in a denied network');
      for (const address of target.addresses) {
        if (!guard.isAllowed(address)) continue;
        try {
          callback(null, await open(address, target, tls, connectTimeoutMs));
          return;
        } catch (e) {
          lastError = e as Error;
        }
      }
      callback(lastError, null);
    })();
  };
}
