/**
 * Delivers notifications to push gateways in the background, so the consumer that stores them
 * never waits on a gateway: jobs queue in memory, at most `concurrency` run at once, a failed
 * call is retried after each of `retryDelaysMs` (3 attempts over ~1 min by default), and pushers
 * whose pushkey the gateway rejects are deleted (spec: the homeserver "MUST" stop sending to them).
 * In memory only: a push lost to a restart is a missed banner, while the notification itself and
 * its counts are stored durably before a job is queued.
 */
import type { Logger } from 'pino';
import type { Pusher, UserAPI } from '../api.js';
import type { PushGatewayClient } from '../pushgateway/push-gateway-client.js';
import { PushGatewayError } from '../pushgateway/push-gateway-error.js';
import { gatewayRequests, type GatewayRequest, type PushContent } from './push-payload.js';

/** Queues pushes for delivery. */
export interface PushSender {
  /**
   * Queues the pushes of one event's notifications (returns at once). Their users' pushers are
   * read once for the whole batch, when the job runs: a room's members mostly have none.
   */
  enqueue(contents: readonly PushContent[]): void;
  /** Resolves when nothing is queued or in flight (tests). */
  idle(): Promise<void>;
  /** Drops queued jobs and pending retries; resolves when in-flight calls end. */
  stop(): Promise<void>;
}

/** What the sender needs. */
export interface PushSenderDeps {
  readonly gateway: PushGatewayClient;
  /** The pushers of each of these users that has any. */
  readonly pushersOf: (userIds: readonly string[]) => Promise<ReadonlyMap<string, readonly Pusher[]>>;
  /** Deleting rejected pushers. */
  readonly api: Pick<UserAPI, 'performPusherSet'>;
  readonly logger?: Logger;
  /** Gateway calls at once (8 by default). */
  readonly concurrency?: number;
  /** Delays before the 2nd, 3rd … attempt ([10 s, 45 s] by default). */
  readonly retryDelaysMs?: readonly number[];
  /** Queued jobs at most; past it new ones are dropped with a warning (10 000 by default). */
  readonly maxQueued?: number;
}

type Job = () => Promise<void>;

/** A background sender. */
export function createPushSender(deps: PushSenderDeps): PushSender {
  const concurrency = deps.concurrency ?? 8;
  const delays = deps.retryDelaysMs ?? [10_000, 45_000];
  const maxQueued = deps.maxQueued ?? 10_000;
  const queue: Job[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let running = 0;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running > 0 || queue.length > 0 || timers.size > 0) return;
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
      deps.logger?.warn({ queued: queue.length }, 'push: too many notifications queued for gateways; dropping one');
      return;
    }
    queue.push(job);
    pump();
  };

  /** One attempt at one gateway request; schedules the next attempt on a retryable failure. */
  const attempt = (userId: string, req: GatewayRequest, n: number): Job => async () => {
    try {
      const { rejected } = await deps.gateway.notify(req.url, req.notification);
      if (rejected.length > 0) await deleteRejected(deps, userId, req, rejected);
    } catch (err) {
      const retryable = !(err instanceof PushGatewayError) || err.retryable;
      const delay = delays[n];
      if (!retryable || delay === undefined || stopped) {
        deps.logger?.warn({ err, userId, attempts: n + 1 }, 'push: giving up on a notification to a push gateway');
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        push(attempt(userId, req, n + 1));
        settleIdle();
      }, delay);
      timers.add(timer);
    }
  };

  return {
    enqueue(contents) {
      if (contents.length === 0) return;
      push(async () => {
        const pushersOf = await deps.pushersOf(contents.map((c) => c.userId));
        for (const content of contents) {
          const pushers = pushersOf.get(content.userId);
          if (pushers) for (const req of gatewayRequests(pushers, content)) push(attempt(content.userId, req, 0));
        }
      });
    },
    idle() {
      if (running === 0 && queue.length === 0 && timers.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async stop() {
      stopped = true;
      queue.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        if (running === 0) resolve();
        else waiters.push(resolve);
      });
    },
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
