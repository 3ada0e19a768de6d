/**
 * One `/sync`: builds the response from every stream's provider, and for an incremental sync with
 * nothing to say, waits (long-polls) until the notifier wakes the user or the timeout passes.
 *
 * The listener is registered before each attempt reads anything, so something committed while
 * an attempt reads wakes the wait that follows it. On timeout the last (empty) attempt is
 * answered: its `next_batch` already covers everything up to when it read.
 */
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import type { SyncPresenceUpdater } from './sync-presence-updater.js';
import type { SyncRequest } from './sync-request.js';
import { emptySyncResponse, hasUpdates, useStateAfter, type SyncResponse } from './sync-response.js';
import { encodeStreamToken, STREAM_NAMES, type StreamName, type StreamPositions } from './stream-token.js';

/** What a sync needs. */
export interface PerformSyncDeps {
  readonly storage: SyncStorage;
  readonly notifier: Notifier;
  readonly streams: readonly StreamProvider[];
  /** Applies `set_presence` (before the first attempt, so the user's own change can wake the wait). */
  readonly setPresence: SyncPresenceUpdater;
}

/** Who is syncing. */
export interface SyncingDevice {
  readonly userId: string;
  readonly deviceId: string | undefined;
}

/** Answers `req` for `device`; `signal` aborts the wait (the client went away). */
export async function performSync(deps: PerformSyncDeps, device: SyncingDevice, req: SyncRequest, signal?: AbortSignal): Promise<SyncResponse> {
  const deadline = Date.now() + req.timeoutMs;
  await deps.setPresence(device.userId, req.setPresence);
  for (;;) {
    const listener = deps.notifier.listen(device.userId);
    try {
      const res = await attempt(deps, device, req);
      const answerNow = req.since === null || req.fullState || hasUpdates(res) || Date.now() >= deadline || signal?.aborted === true;
      if (answerNow || !(await listener.wait(deadline, signal))) return res;
    } finally {
      listener.cancel();
    }
  }
}

/** Reads every stream once. */
async function attempt(deps: PerformSyncDeps, device: SyncingDevice, req: SyncRequest): Promise<SyncResponse> {
  const response = emptySyncResponse();
  const ctx: SyncRequestContext = {
    userId: device.userId,
    deviceId: device.deviceId,
    filter: req.filter,
    fullState: req.fullState,
    useStateAfter: req.useStateAfter,
    now: Date.now(),
    memberships: await deps.storage.userMemberships(device.userId),
    response,
    since: req.since,
  };
  // Each stream's end is fixed before anything of it is read; a token never goes backwards.
  const latest = await Promise.all(deps.streams.map((s) => s.latest(ctx)));
  const to: Record<string, number> = {};
  deps.streams.forEach((s, i) => (to[s.stream] = Math.max(latest[i]!, req.since?.[s.stream] ?? 0)));
  // In order: later streams add to the rooms the `pdu` stream wrote.
  for (const s of deps.streams) {
    const reached = req.since === null ? await s.initial(ctx, to[s.stream]!) : await s.incremental(ctx, req.since[s.stream], to[s.stream]!);
    // A capped stream (to_device) stopped short: the token resumes where it stopped.
    if (typeof reached === 'number') to[s.stream] = reached;
  }
  const positions = Object.fromEntries(STREAM_NAMES.map((n) => [n, to[n] ?? req.since?.[n] ?? 0])) as Record<StreamName, number>;
  response.next_batch = encodeStreamToken(positions as StreamPositions);
  if (req.useStateAfter) useStateAfter(response);
  return response;
}
