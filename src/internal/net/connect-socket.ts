/**
 * Opening one socket to an address already checked by the network guard, plain or TLS, with a
 * connect deadline: the common step of every guarded outbound connector (federation, URL
 * previews). Callers pass an address, never a name, so nothing re-resolves it.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** Where and how to connect. */
export interface SocketTarget {
  readonly address: string;
  readonly port: number;
  /** TLS options (servername, ca, rejectUnauthorized…), or undefined for a plain socket. */
  readonly tls?: ConnectionOptions;
}

/** The connected socket (handshake done for TLS), or the error; destroyed after `timeoutMs`. */
export function connectSocket(target: SocketTarget, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({ ...target.tls, host: target.address, port: target.port, ALPNProtocols: ['http/1.1'] })
      : netConnect({ host: target.address, port: target.port });
    const timer = setTimeout(() => socket.destroy(new Error(`connect to ${target.address}:${target.port} timed out`)), timeoutMs);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
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
