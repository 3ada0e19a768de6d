/**
 * The outbound federation sender's queues: per-destination, persisted, delivered by one worker
 * per destination (`destination-worker.ts`) with exponential backoff and a blacklist for dead
 * servers (`backoff-policy.ts`), split across sender instances by destination (`shard.ts`).
 *
 * Everything queued is written to storage before this returns, so a restart (then `resume()`)
 * sends what the last process did not. Memory holds only the workers of destinations with work
 * pending, the names of blacklisted destinations, and at most `maxInFlight` transactions.
 */
import type { Logger } from 'pino';
import type { FederationClient } from '../client/federation-client.js';
import type { JsonObject } from '../../matrix/json.js';
import type { QueuedEdu, QueueStorage } from '../storage/queue-storage.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff-policy.js';
import { startDestinationWorker, type DestinationWorker, type WorkerContext } from './destination-worker.js';
import { checkShard, ownsDestination, type ShardSpec } from './shard.js';
import { createTransactionSlots } from './transaction-slots.js';

/** Options of {@link createOutboundQueues}. */
export interface OutboundQueuesOptions {
  readonly storage: QueueStorage;
  /** Only `request` is used. */
  readonly client: Pick<FederationClient, 'request'>;
  /** Our server name: the `origin` of transactions, and never a destination. */
  readonly serverName: string;
  readonly logger: Logger;
  /** The clock (ms); `Date.now` by default. */
  readonly now?: () => number;
  /** The backoff schedule; {@link DEFAULT_BACKOFF} by default. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** This instance's share of the destinations; all of them by default. */
  readonly shard?: ShardSpec;
  /** Most transactions in flight at once, over all destinations (default 64). */
  readonly maxInFlight?: number;
  /** How long `stop()` waits for transactions in flight (ms; default 5 s). */
  readonly stopGraceMs?: number;
}

/** The queues. */
export interface OutboundQueues {
  /**
   * Queues PDUs (in order) for each destination and starts sending. Our own server, other
   * instances' destinations and blacklisted ones are skipped. Resolves once persisted.
   */
  sendPdus(destinations: readonly string[], pdus: readonly JsonObject[]): Promise<void>;
  /** As {@link sendPdus}, for EDUs. */
  sendEdus(destinations: readonly string[], edus: readonly QueuedEdu[]): Promise<void>;
  /**
   * A request from `serverName` arrived: it is alive. A blacklisted destination is cleared and
   * a backed-off one retried now. Never rejects (failures are logged).
   */
  heardFrom(serverName: string): Promise<void>;
  /** Starts sending what earlier processes left queued. Call once at start. */
  resume(): Promise<void>;
  /** Stops every worker; what is still queued stays for the next `resume()`. */
  stop(): Promise<void>;
}

/** Builds the queues; nothing is sent before something is queued or `resume()` is called. */
export function createOutboundQueues(opts: OutboundQueuesOptions): OutboundQueues {
  checkShard(opts.shard);
  const { storage, serverName, logger } = opts;
  const now = opts.now ?? Date.now;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const workers = new Map<string, DestinationWorker>();
  /** Our blacklisted destinations, so heardFrom() need not ask storage on every request. */
  const blacklisted = new Set<string>();
  const startTs = now();
  let counter = 0;
  let stopped = false;

  const ctx: WorkerContext = {
    storage,
    send: { client: opts.client, serverName, logger },
    now,
    policy,
    slots: createTransactionSlots(opts.maxInFlight ?? 64),
    // The start time makes IDs unique across restarts; the counter within this process.
    nextTxnId: () => `${startTs}-${++counter}`,
    isStopped: () => stopped,
    onEnd: (worker, isBlacklisted) => {
      if (workers.get(worker.destination) === worker) workers.delete(worker.destination);
      if (isBlacklisted) {
        blacklisted.add(worker.destination);
        logger.warn({ destination: worker.destination }, 'federation: destination blacklisted until it contacts us');
      }
    },
    logger,
  };

  const ours = (d: string) => d !== serverName && ownsDestination(d, opts.shard);

  const wake = (destination: string) => {
    if (stopped) return;
    const running = workers.get(destination);
    if (running) running.notify();
    else workers.set(destination, startDestinationWorker(ctx, destination));
  };

  const targets = (destinations: readonly string[]) => [...new Set(destinations)].filter((d) => ours(d) && !blacklisted.has(d));

  return {
    async sendPdus(destinations, pdus) {
      const to = targets(destinations);
      if (to.length === 0 || pdus.length === 0) return;
      for (const d of await storage.queuePdus(to, pdus)) wake(d);
    },
    async sendEdus(destinations, edus) {
      const to = targets(destinations);
      if (to.length === 0 || edus.length === 0) return;
      for (const d of await storage.queueEdus(to, edus)) wake(d);
    },
    async heardFrom(origin) {
      if (stopped || !ours(origin)) return;
      const wasBlacklisted = blacklisted.delete(origin);
      // A healthy destination has nothing stored: no write per inbound request.
      if (!wasBlacklisted && !(workers.get(origin)?.mayBeFailing() ?? false)) return;
      try {
        // Cleared before the retry starts, so a failure of the retry is stored after it.
        await storage.clearDestinationHealth(origin);
        if (wasBlacklisted) logger.info({ destination: origin }, 'federation: blacklisted destination is back');
      } catch (err) {
        logger.error({ destination: origin, err }, 'federation: could not clear destination health');
      }
      workers.get(origin)?.retryNow();
    },
    async resume() {
      for (const d of await storage.blacklistedDestinations()) if (ours(d)) blacklisted.add(d);
      for (const d of await storage.destinationsWithPending()) if (ours(d) && !blacklisted.has(d)) wake(d);
    },
    async stop() {
      stopped = true;
      const running = [...workers.values()];
      for (const w of running) w.wake();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, opts.stopGraceMs ?? 5_000);
      });
      await Promise.race([Promise.all(running.map((w) => w.done)), grace]);
      clearTimeout(timer);
    },
  };
}
