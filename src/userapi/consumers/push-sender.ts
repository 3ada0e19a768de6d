/**
 * Delivers notifications to push gateways in the background, so the consumer that stores them
 * never waits on a gateway: jobs queue in memory, at most `concurrency` run at once, a failed
 * call is retried after each of `retryDelaysMs` (3 attempts over ~1 min by default), and pushers
 * whose pushkey the gateway rejects are deleted (spec: the homeserver "MUST" stop sending to them).
 *
 * Durable: each push is also a row of `userapi_push_queue`, written with its notification. The
 * row is deleted once every gateway request of the notification has finished — delivered,
 * rejected, given up after the last retry (or at once when not retryable), or found to have no
 * pusher left — and only then. Whatever is queued, in flight past its last chance, or waiting
 * for a retry when the sender stops (or the process dies) keeps its row, and
 * `start-push-pipeline.ts` hands it back at the next start: at-least-once, so a gateway may see
 * a push twice after a crash, never zero times.
 */
import type { Logger } from 'pino';
import type { Pusher, UserAPI } from '../api.js';
import type { PushGatewayClient } from '../pushgateway/push-gateway-client.js';
import { PushGatewayError } from '../pushgateway/push-gateway-error.js';
import { gatewayRequests, type GatewayRequest, type PushContent } from './push-payload.js';

/** A push to deliver: one notification for one user. */
export interface PendingPush {
  /** Its notification's ID: the queue row to delete once it is done. */
  readonly notificationId: number;
  readonly content: PushContent;
}

/** Queues pushes for delivery. */
export interface PushSender {
  /**
   * Queues pushes, typically one event's notifications (returns at once). Their users' pushers
   * are read once for the whole batch, when the job runs.
   */
  enqueue(pushes: readonly PendingPush[]): void;
  /** Resolves when nothing is queued, in flight, waiting for a retry or being dequeued (tests). */
  idle(): Promise<void>;
  /**
   * Drops queued jobs and pending retries, whose queue rows stay for the next start; resolves
   * when in-flight calls, and the deletion of the rows of pushes they finished, end.
   */
  stop(): Promise<void>;
}

/** What the sender needs. */
export interface PushSenderDeps {
  readonly gateway: PushGatewayClient;
  /** The pushers of each of these users that has any. */
  readonly pushersOf: (userIds: readonly string[]) => Promise<ReadonlyMap<string, readonly Pusher[]>>;
  /** Deletes the queue rows of these notifications, whose pushes are done. */
  readonly dequeue: (notificationIds: readonly number[]) => Promise<void>;
  /** Deleting rejected pushers. */
  readonly api: Pick<UserAPI, 'performPusherSet'>;
  readonly logger?: Logger;
  /** Gateway calls at once (8 by default). */
  readonly concurrency?: number;
  /** Delays before the 2nd, 3rd … attempt ([10 s, 45 s] by default). */
  readonly retryDelaysMs?: readonly number[];
  /**
   * Queued jobs at most; past it new ones are dropped with a warning (10 000 by default). A
   * dropped push keeps its queue row, so it is sent at the next start (if within a day).
   */
  readonly maxQueued?: number;
}

type Job = () => Promise<void>;

/** A notification's gateway requests not finished yet. */
interface Progress {
  readonly notificationId: number;
  remaining: number;
}

/** Queue rows deleted per statement at most. */
const DEQUEUE_BATCH = 500;

/** A background sender. */
export function createPushSender(deps: PushSenderDeps): PushSender {
  const concurrency = deps.concurrency ?? 8;
  const delays = deps.retryDelaysMs ?? [10_000, 45_000];
  const maxQueued = deps.maxQueued ?? 10_000;
  const queue: Job[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const dequeuer = createDequeuer(deps, () => settleIdle());
  let running = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const busy = () => running > 0 || queue.length > 0 || timers.size > 0 || dequeuer.busy();
  const settleIdle = () => {
    if (busy()) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const pump = () => {
    while (!stopped && running < concurrency && queue.length > 0) {
      const job = queue.shift();
      if (!job) break;
      running++;
      void job()
        .catch((err: unknown) => deps.logger?.warn({ err }, 'push: delivering a notification failed'))
        .finally(() => {
          running--;
          pump();
          settleIdle();
        });
    }
    settleIdle();
  };

  const push = (job: Job) => {
    if (stopped) return;
    if (queue.length >= maxQueued) {
      deps.logger?.warn({ queued: queue.length }, 'push: too many notifications queued for gateways; one waits for the next start');
      return;
    }
    queue.push(job);
    pump();
  };

  /** One of the notification's requests is over (or it had none). */
  const finish = (p: Progress) => {
    if (--p.remaining === 0) dequeuer.add(p.notificationId);
  };

  /** One attempt at one gateway request; schedules the next attempt on a retryable failure. */
  const attempt = (p: Progress, userId: string, req: GatewayRequest, n: number): Job => async () => {
    let rejected: readonly string[];
    try {
      ({ rejected } = await deps.gateway.notify(req.url, req.notification));
    } catch (err) {
      const retryable = !(err instanceof PushGatewayError) || err.retryable;
      const delay = delays[n];
      if (!retryable || delay === undefined) {
        deps.logger?.warn({ err, userId, attempts: n + 1 }, 'push: giving up on a notification to a push gateway');
        finish(p);
        return;
      }
      // Stopping: the row stays, and the next start tries again.
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        push(attempt(p, userId, req, n + 1));
        settleIdle();
      }, delay);
      timers.add(timer);
      return;
    }
    try {
      if (rejected.length > 0) await deleteRejected(deps, userId, req, rejected);
    } catch (err) {
      // Delivered all the same; the pusher is rejected again by the next push.
      deps.logger?.warn({ err, userId }, 'push: deleting a pusher the gateway rejected failed');
    }
    finish(p);
  };

  return {
    enqueue(pushes) {
      if (pushes.length === 0) return;
      push(async () => {
        const pushersOf = await deps.pushersOf([...new Set(pushes.map((c) => c.content.userId))]);
        for (const { notificationId, content } of pushes) {
          const requests = gatewayRequests(pushersOf.get(content.userId) ?? [], content);
          // No pusher left (deleted since the row was written): nothing to send, the push is done.
          const p: Progress = { notificationId, remaining: requests.length + 1 };
          for (const req of requests) push(attempt(p, content.userId, req, 0));
          finish(p);
        }
      });
    },
    idle() {
      if (!busy()) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async stop() {
      stopped = true;
      queue.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        if (!busy()) resolve();
        else waiters.push(resolve);
      });
    },
  };
}

/**
 * Deletes the queue rows of finished pushes, those finishing during a deletion joining the next
 * statement. A failure is logged and not retried: the row is sent again at the next start.
 */
function createDequeuer(deps: Pick<PushSenderDeps, 'dequeue' | 'logger'>, onIdle: () => void): { add(id: number): void; busy(): boolean } {
  const done: number[] = [];
  let draining = false;
  const drain = async () => {
    draining = true;
    try {
      while (done.length > 0) {
        const ids = done.splice(0, DEQUEUE_BATCH);
        try {
          await deps.dequeue(ids);
        } catch (err) {
          deps.logger?.warn({ err, count: ids.length }, 'push: removing delivered pushes from the queue failed; they are sent again at the next start');
        }
      }
    } finally {
      draining = false;
      onIdle();
    }
  };
  return {
    add(id) {
      done.push(id);
      if (!draining) void drain();
    },
    busy: () => draining,
  };
}

/** Deletes the user's pushers of `req` whose pushkey the gateway rejected. */
async function deleteRejected(deps: PushSenderDeps, userId: string, req: GatewayRequest, rejected: readonly string[]): Promise<void> {
  const keys = new Set(rejected);
  for (const p of req.pushers) {
    if (!keys.has(p.pushkey)) continue;
    await deps.api.performPusherSet({ userId, deviceId: null, appId: p.appId, pushkey: p.pushkey, pusher: null, append: false });
    deps.logger?.info({ userId, appId: p.appId }, 'push: the gateway rejected a pushkey; its pusher is deleted');
  }
}
