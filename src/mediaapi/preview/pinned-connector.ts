/**
 * The socket factory of one preview hop. It connects to addresses resolved and checked before
 * the hop began, never to a name, so nothing can re-resolve the name to a private address
 * between the check and the connection (DNS rebinding); each address is checked once more right
 * before its socket opens. For https the certificate is verified against the URL's host name.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { buildConnector } from 'undici';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import { PreviewFetchError } from './preview-fetch-error.js';

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
export interface PreviewTlsOptions {
  /** Trusted CAs instead of Node's default store. */
  readonly ca?: readonly string[];
}

function open(address: string, target: PinnedTarget, tls: PreviewTlsOptions, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.secure
      ? tlsConnect({
          host: address,
          port: target.port,
          ...(isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
          ...(tls.ca ? { ca: [...tls.ca] } : {}),
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host: address, port: target.port });
    const timer = setTimeout(() => socket.destroy(new Error(`connect to ${address}:${target.port} timed out`)), timeoutMs);
    socket.once(target.secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    });
  });
}

/** An undici `connect` function that only ever reaches `target`'s checked addresses. */
export function createPinnedConnector(
  target: PinnedTarget,
  guard: NetworkGuard,
  tls: PreviewTlsOptions,
  connectTimeoutMs: number,
): buildConnector.connector {
  return (_opts, callback) => {
    void (async () => {
      let lastError: Error = new PreviewFetchError('blocked_ip', 'every address of the host is in a denied network');
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
