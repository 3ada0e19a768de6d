/**
 * The `to_device` stream (spec "Send-to-Device messaging", server behaviour): the syncing
 * device's waiting messages in `to_device.events`, in arrival order, at most
 * {@link MAX_TO_DEVICE_PER_SYNC} per response.
 *
 * Delivery is "until acknowledged": a sync whose `since` carries to_device position P tells us
 * the device received everything up to P, so its messages at or before P are deleted first;
 * messages after P are served (again, if an earlier response carrying them was lost). When the
 * cap cuts a response short, the stream's position in `next_batch` is the last message served
 * rather than the stream's latest, so the next sync acknowledges exactly what was served and
 * gets the rest. An initial sync acknowledges nothing and gets the device's oldest messages.
 *
 * Positions are global (one table for every device), so the latest is kept in memory by the
 * writing consumer ({@link ToDevicePosition}) and an idle long-poll costs no query.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { SyncStorage } from '../storage/index.js';
import { rawJson } from './raw-json.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';

/** The spec's recommended limit of messages per `/sync` response. */
export const MAX_TO_DEVICE_PER_SYNC = 100;

/** The latest `to_device` position, read once at start and moved by the consumer's writes. */
export interface ToDevicePosition {
  get(): number;
  /** A write committed at `position` (a lower one is ignored). */
  advance(position: number): void;
}

/** The tracker, starting at `initial` (the storage's latest). */
export function createToDevicePosition(initial: number): ToDevicePosition {
  let latest = initial;
  return {
    get: () => latest,
    advance(position) {
      if (position > latest) latest = position;
    },
  };
}

/** Devices whose acknowledged position is remembered, to skip repeating the same delete. */
const ACKNOWLEDGED_DEVICES = 10_000;

type ToDeviceStorage = Pick<SyncStorage, 'toDeviceMessages' | 'acknowledgeToDeviceMessages'>;

/** The `to_device` stream's provider. */
export function toDeviceStreamProvider(storage: ToDeviceStorage, position: ToDevicePosition, limit = MAX_TO_DEVICE_PER_SYNC): StreamProvider {
  // Per device, the position already acknowledged: a long-poll's repeated attempts, and syncs
  // repeating a token, delete nothing new.
  const acknowledged = boundedCache<string, number>(ACKNOWLEDGED_DEVICES);
  const acknowledge = async (userId: string, deviceId: string, upTo: number) => {
    const key = `${userId}\u0000${deviceId}`;
    if ((acknowledged.get(key) ?? -1) >= upTo) return;
    await storage.acknowledgeToDeviceMessages(userId, deviceId, upTo);
    acknowledged.set(key, upTo);
  };
  const read = async (ctx: SyncRequestContext, from: number, to: number): Promise<number | undefined> => {
    if (ctx.deviceId === undefined || to <= from) return undefined;
    const messages = await storage.toDeviceMessages(ctx.userId, ctx.deviceId, from, to, limit);
    for (const m of messages) ctx.response.to_device.events.push(rawJson(m.json));
    // Cut short: the token stops at the last message served, so the rest comes next time.
    return messages.length === limit ? messages[messages.length - 1]!.position : undefined;
  };
  return {
    stream: 'to_device',
    latest: async () => position.get(),
    initial: (ctx, to) => read(ctx, 0, to),
    async incremental(ctx, from, to) {
      if (ctx.deviceId !== undefined && from > 0) await acknowledge(ctx.userId, ctx.deviceId, from);
      return read(ctx, from, to);
    },
  };
}
