/**
 * The socket factory behind every outbound federation connection. It connects to addresses that
 * were resolved and checked beforehand, never to a name, so nothing can re-resolve a name to a
 * private address between the check and the connection (DNS rebinding); each address is checked
 * against the network guard again right before its socket opens. TLS verifies the certificate
 * against `servername` (the name the spec says the certificate must carry), or against the IP
 * address itself when there is no name, in which case no SNI is sent, as the spec requires.
 */
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { connectSocket } from '../../internal/net/connect-socket.js';
import type { buildConnector } from 'undici';
import type { ResolvedAddress } from './lookup-addresses.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';

/** How remote certificates are checked. */
export interface TlsSettings {
  /** Trusted CAs; `undefined` keeps Node's default store. */
  readonly ca: readonly string[] | undefined;
  /** `false` only where `federation.tls_verify` is off (tests, private networks). */
  readonly rejectUnauthorized: boolean;
}

/** Where one pool's connections go. */
export interface ConnectTarget {
  /** Candidate addresses in order of preference. */
  readonly addresses: readonly ResolvedAddress[];
  /** The name the certificate must carry and SNI sends; `undefined` for IP literals. */
  readonly servername: string | undefined;
}

/** Raised when the guard refuses every candidate address. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

/** TLS settings from the config: Node's store, plus the PEM of `ca_file` when there is one. */
export function tlsSettings(tlsVerify: boolean, extraCaPem: string | undefined): TlsSettings {
  return { ca: extraCaPem === undefined ? undefined : [...rootCertificates, extraCaPem], rejectUnauthorized: tlsVerify };
}

function openTls(addr: ResolvedAddress, target: ConnectTarget, tls: TlsSettings, timeoutMs: number): Promise<Socket> {
  return connectSocket(
    {
      address: addr.address,
      port: addr.port,
      tls: {
        ...(target.servername === undefined ? {} : { servername: target.servername }),
        ...(tls.ca === undefined ? {} : { ca: [...tls.ca] }),
        rejectUnauthorized: tls.rejectUnauthorized,
      },
    },
    timeoutMs,
  );
}

/**
 * An undici `connect` function for `target`: tries each permitted address in turn and hands
 * the first TLS socket that completes its handshake to undici.
 */
export function createGuardedConnector(
  target: ConnectTarget,
  guard: NetworkGuard,
  tls: TlsSettings,
  connectTimeoutMs: number,
): buildConnector.connector {
  return (_opts, callback) => {
    void (async () => {
      let lastError: Error = new BlockedAddressError(`every address of the destination is in a denied network`);
      for (const addr of target.addresses) {
        if (!guard.isAllowed(addr.address)) continue;
        try {
          callback(null, await openTls(addr, target, tls, connectTimeoutMs));
          return;
        } catch (e) {
          lastError = e as Error;
        }
      }
      callback(lastError, null);
    })();
  };
}
