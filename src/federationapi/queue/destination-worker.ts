/**
 * The worker of one destination: sends its queue oldest first, one transaction at a time, and
 * waits out its backoff after a failure. It lives while the destination has something queued
 * (or is backing off) and ends when the queue is empty, so idle destinations cost no memory.
 *
 * Each transaction gets a new ID even when it resends the content of a failed one: the queue
 * may have grown meanwhile, and a receiver answers a repeated ID from its cache without reading
 * the body, which would silently drop what was added. PDUs are deduplicated by event ID at the
 * receiver, so a resend after a lost 200 costs nothing.
 */
import type { Logger } from 'pino';
import type { DestinationHealth, QueueStorage } from '../storage/queue-storage.js';
import { healthAfterFailure, type BackoffPolicy } from './backoff-policy.js';
import { sendTransaction, type SendTransactionDeps } from './send-transaction.js';
import type { TransactionSlots } from './transaction-slots.js';

/** Most PDUs in one transaction (spec "Transactions"). */
export const MAX_PDUS_PER_TRANSACTION = 50;
/** Most EDUs in one transaction (spec "Transactions"). */
export const MAX_EDUS_PER_TRANSACTION = 100;

/** What a worker shares with the others of its queues object. */
export interface WorkerContext {
  readonly storage: QueueStorage;
  readonly send: SendTransactionDeps;
  readonly now: () => number;
  readonly policy: BackoffPolicy;
  readonly slots: TransactionSlots;
  /** A transaction ID never used before, by this process or an earlier one. */
  readonly nextTxnId: () => string;
  readonly isStopped: () => boolean;
  /** Called synchronously when the worker ends, so new work starts a new worker. */
  readonly onEnd: (worker: DestinationWorker, blacklisted: boolean) => void;
  readonly logger: Logger;
}

/** A running worker. */
export interface DestinationWorker {
  readonly destination: string;
  /** Something new was queued for the destination. */
  notify(): void;
  /** Whether the destination may have failures stored (false once known healthy). */
  mayBeFailing(): boolean;
  /** The destination is alive and its stored failures are cleared: forget them and try now. */
  retryNow(): void;
  /** Ends a wait at once (used on stop). */
  wake(): void;
  /** Settles when the worker has ended. */
  readonly done: Promise<void>;
}

type Step = 'again' | 'end' | 'failed';


/** Starts the worker of `destination`. */
export function startDestinationWorker(ctx: WorkerContext, destination: string): DestinationWorker {
  let more = false;
  /** undefined: not read from storage yet; null: healthy. */
  let health: DestinationHealth | null | undefined;
  let wakeUp: (() => void) | undefined;
  let ended = false;
  let done: Promise<void> = Promise.resolve();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      };
      // Node fires at once beyond 2^31-1 ms; a longer wait (a huge maxMs) is cut to ~24 days.
      const timer = setTimeout(finish, Math.min(ms, 2 ** 31 - 1));
      timer.unref();
      wakeUp = finish;
    });

  const worker: DestinationWorker = {
    destination,
    notify: () => {
      more = true;
    },
    mayBeFailing: () => health !== null,
    retryNow: () => {
      health = null;
      wakeUp?.();
    },
    wake: () => wakeUp?.(),
    get done() {
      return done;
    },
  };

  const end = (blacklisted: boolean): Step => {
    if (!ended) {
      ended = true;
      ctx.onEnd(worker, blacklisted);
    }
    return 'end';
  };

  /** One transaction: read, send, then delete or back off. */
  const step = async (): Promise<Step> => {
    await ctx.slots.acquire();
    try {
      if (ctx.isStopped()) return end(false);
      more = false;
      const txn = await ctx.storage.pendingTransaction(destination, MAX_PDUS_PER_TRANSACTION, MAX_EDUS_PER_TRANSACTION);
      // Ended in the same tick as the read found nothing new, so a notify() that comes later
      // finds no worker and starts one.
      if (txn.pdus.length === 0 && txn.edus.length === 0) return more ? 'again' : end(false);
      if (ctx.isStopped()) return end(false);
      const txnId = ctx.nextTxnId();
      try {
        await sendTransaction(ctx.send, destination, txnId, txn, ctx.now());
      } catch (err) {
        // Once stopped the storage may be closed; the content is still queued for next time.
        if (ctx.isStopped()) return end(false);
        const next = healthAfterFailure(destination, health, ctx.now(), ctx.policy);
        ctx.logger.warn(
          { destination, txnId, failureCount: next.failureCount, retryInMs: next.retryAt - ctx.now(), blacklisted: next.blacklistedAt !== undefined, err },
          'federation: transaction failed',
        );
        // Failing in memory before the write: a heardFrom() arriving while it is stored must see
        // a failing destination, or it is ignored and the retry waits out the whole backoff.
        health = next;
        await ctx.storage.setDestinationHealth(next);
        // heardFrom() ran meanwhile: its clear may have landed before this write (a pool has
        // no order between connections), so clear again; its retryNow() already reset `health`.
        if (health !== next) await ctx.storage.clearDestinationHealth(destination);
        return 'failed';
      }
      if (ctx.isStopped()) return end(false);
      // Healthy as soon as it answered: cleared before the queue shrinks, so nobody sees the
      // queue drained while the destination still counts as failing.
      if (health !== null) {
        await ctx.storage.clearDestinationHealth(destination);
        health = null;
      }
      await ctx.storage.deleteDelivered(destination, txn.handle);
      return 'again';
    } finally {
      ctx.slots.release();
    }
  };

  const run = async (): Promise<void> => {
    while (!ctx.isStopped()) {
      try {
        if (health === undefined) {
          const stored = await ctx.storage.destinationHealth(destination);
          // retryNow() during the read wins over what was stored.
          if (health === undefined) health = stored ?? null;
          continue;
        }
        if (health?.blacklistedAt !== undefined) {
          end(true);
          return;
        }
        const wait = health === null ? 0 : health.retryAt - ctx.now();
        if (wait > 0) {
          await sleep(wait);
          continue;
        }
        if ((await step()) === 'end') return;
      } catch (err) {
        // Storage trouble, not the destination's fault: no backoff recorded, try again soon.
        ctx.logger.error({ destination, err }, 'federation: sender storage failed');
        await sleep(ctx.policy.initialMs);
      }
    }
    end(false);
  };

  done = run();
  return worker;
}
