/**
 * The NATS bus's connection and its reconnect policy. A process whose NATS is down when it starts
 * waits for it rather than crashing (`waitOnFirstConnect`): the first connection is retried for
 * ever with the same growing delay as a reconnect, and a warning names the servers every few
 * attempts. Once connected, the connection reconnects for ever and `health` reports each outage
 * until it is over.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { BusHealth } from './bus-health.js';

/** What {@link connectNats} needs. */
export interface ConnectNatsOptions {
  readonly servers: readonly string[];
  /** Client name shown by the server's monitoring. */
  readonly name: string;
  readonly health: BusHealth;
  readonly logger?: Logger;
}

/** A live connection, and the watcher of its status (settles once the connection is closed). */
export interface NatsLink {
  readonly nc: NatsConnection;
  readonly watching: Promise<void>;
}

/** Failed first attempts between two warnings while NATS is unreachable at start-up. */
const WARN_EVERY = 5;

/** Connects, waiting as long as it takes for a server to answer. */
export async function connectNats(opts: ConnectNatsOptions): Promise<NatsLink> {
  const { health, logger } = opts;
  const reconnect = reconnectBackoff();
  const servers = opts.servers.map(withoutCredentials);
  const startedAt = Date.now();
  let connected = false;
  let attempts = 0;
  const nc = await connect({
    servers: [...opts.servers],
    name: opts.name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectDelayHandler: reconnect.next,
    // Called before every dial, the first connection's included: the only hook that sees
    // attempts before the connection object is handed out.
    reconnectToServer: () => {
      if (!connected && attempts++ % WARN_EVERY === 1) {
        const waitedMs = Date.now() - startedAt;
        logger?.warn({ servers, failedAttempts: attempts - 1, waitedMs }, 'bus: NATS unreachable at start-up; retrying');
      }
      return null; // the client's own choice of server
    },
    // Notice a silently dead server within ~30 s rather than the default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 3,
  });
  connected = true;
  reconnect.reset();
  if (attempts > 1) logger?.info({ servers, failedAttempts: attempts - 1 }, 'bus: NATS reachable; connected');
  return { nc, watching: watchConnection(nc, health, reconnect.reset, logger) };
}

/** A NATS URL without the user and password it may carry, for logs. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1');
}

/**
 * Reconnect delays growing with the outage: a quarter of the time since the connection was lost
 * (or since the first attempt), between 100 ms and 5 s. The client asks for a delay on every turn
 * of its dial loop, not once per attempt, so a per-call counter would climb to the cap within a
 * few milliseconds.
 */
function reconnectBackoff(): { next: () => number; reset: () => void } {
  let downSince: number | undefined;
  return {
    next: () => {
      downSince ??= Date.now();
      return Math.max(100, Math.min(5000, Math.floor((Date.now() - downSince) / 4)));
    },
    reset: () => {
      downSince = undefined;
    },
  };
}

/** Keeps `health` in step with the connection: a problem from disconnect until reconnect. */
async function watchConnection(nc: NatsConnection, health: BusHealth, onReconnect: () => void, logger?: Logger): Promise<void> {
  for await (const s of nc.status()) {
    switch (s.type) {
      case 'disconnect':
        health.set('connection', `NATS: disconnected from ${s.server}; reconnecting`);
        logger?.warn({ server: s.server }, 'bus: NATS disconnected; reconnecting');
        break;
      case 'staleConnection':
        health.set('connection', 'NATS: the server stopped answering pings; reconnecting');
        break;
      case 'reconnect':
        health.set('connection', undefined);
        onReconnect();
        logger?.info({ server: s.server }, 'bus: NATS reconnected');
        break;
      case 'error':
        logger?.warn({ err: s.error }, 'bus: NATS error');
        break;
      default:
        break;
    }
  }
}
