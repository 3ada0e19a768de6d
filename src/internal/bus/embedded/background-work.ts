/**
 * The embedded bus's slow timers: a poll of the log's head, which notices messages published by
 * other processes sharing the database, and pruning. Each runs again only after its previous run
 * finished, so a slow database never piles them up.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../sqlutil/database.js';
import type { BusTables } from './bus-tables.js';
import { pruneBusLog } from './prune-bus-log.js';

/** What the background timers need. */
export interface BackgroundOptions {
  /** The bus database. */
  readonly database: Database;
  /** Interval of the log-head poll. */
  readonly pollIntervalMs: number;
  /** Interval of pruning. */
  readonly pruneIntervalMs: number;
  /** Retention of topics nobody consumes (checked once a minute). */
  readonly retentionMs: number;
  readonly logger: Logger;
  /** Where failures are reported (by timer name) until the next success. */
  readonly problems: Map<string, string>;
  /** Called when the log's head moved since the last poll. */
  readonly wakeAll: () => void;
}

export interface BackgroundWork {
  /** No new runs start. */
  stop(): void;
  /** Resolves when runs in progress have finished. */
  idle(): Promise<void>;
}

const EXPIRY_EVERY_MS = 60_000;

/** Starts the poll and pruning timers (unref'd: they never keep the process alive). */
export function startBackgroundWork(o: BackgroundOptions): BackgroundWork {
  const db = o.database.db as Kysely<BusTables>;
  let lastHead: number | null | undefined;
  let lastExpiry = 0;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const every = (ms: number, name: string, fn: () => Promise<void>) => {
    const later = () => {
      const t = setTimeout(() => {
        timers.delete(t);
        tick();
      }, ms);
      t.unref();
      timers.add(t);
    };
    const tick = () => {
      const p = fn().then(
        () => void o.problems.delete(name),
        (err: unknown) => {
          if (stopped) return;
          o.problems.set(name, `bus ${name} failed: ${(err as Error).message}`);
          o.logger.error({ err }, `bus ${name} failed`);
        },
      );
      running.add(p);
      void p.finally(() => {
        running.delete(p);
        if (!stopped) later();
      });
    };
    later();
  };

  every(o.pollIntervalMs, 'poll', async () => {
    const row = await db.selectFrom('bus_log').select((eb) => eb.fn.max('seq').as('head')).executeTakeFirst();
    const head = row?.head ?? null;
    // The first run wakes too: something may have arrived between a subscriber's first read and now.
    if (head !== lastHead) o.wakeAll();
    lastHead = head;
  });
  every(o.pruneIntervalMs, 'prune', async () => {
    const now = Date.now();
    const expireUnconsumed = now - lastExpiry >= EXPIRY_EVERY_MS;
    if (expireUnconsumed) lastExpiry = now;
    await pruneBusLog(o.database, { expireUnconsumed, retentionMs: o.retentionMs });
  });

  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
