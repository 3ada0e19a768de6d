/**
 * Free TCP ports for test and bench servers. A port picked before a server starts can be taken
 * by another process in between (tests run in parallel), so {@link startOnFreePort} retries.
 */
import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on `host` (the loopback interface by default). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * True when `e` says a listener's port was taken: a Node error's `code`, or the message of a
 * server in a child process that reported it.
 */
export function isAddressInUse(e: unknown): boolean {
  if (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'EADDRINUSE') return true;
  return /EADDRINUSE|Address already in use/.test(String(e));
}

/**
 * `start(port)` on a free port of `host`, for servers whose port must be known before they
 * start (it is part of their name); on a new port when another process took the picked one, up
 * to `attempts` tries in all.
 */
export async function startOnFreePort<T>(host: string, start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(host);
    try {
      return await start(port);
    } catch (e) {
      if (attempt >= attempts || !isAddressInUse(e)) throw e;
    }
  }
}
