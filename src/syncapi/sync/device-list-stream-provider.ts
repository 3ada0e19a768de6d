/**
 * The `device_list` stream: `device_lists.changed` / `left` of an incremental sync
 * (`device-list-changes.ts`). An initial sync has none: the client queries the keys of everyone
 * it cares about anyway. The member-event half reads the `pdu` stream from the `since` token up
 * to its latest position, which may pass the `pdu` stream's own end by a few events: a user
 * is then listed once more next time, never missed.
 *
 * Positions are global, so the latest is kept in memory by the writing consumer
 * ({@link DeviceListPosition}) and an idle long-poll costs no query.
 */
import type { SyncStorage } from '../storage/index.js';
import { deviceListChanges, type DeviceListStorage } from './device-list-changes.js';
import type { StreamProvider } from './stream-provider.js';

/** The latest `device_list` position, read once at start and moved by the consumer's writes. */
export interface DeviceListPosition {
  get(): number;
  /** A change logged at `position` (a lower one is ignored). */
  advance(position: number): void;
}

/** The tracker, starting at `initial` (the storage's latest). */
export function createDeviceListPosition(initial: number): DeviceListPosition {
  let latest = initial;
  return {
    get: () => latest,
    advance(position) {
      if (position > latest) latest = position;
    },
  };
}

/** The provider. */
export function deviceListStreamProvider(storage: DeviceListStorage & Pick<SyncStorage, 'latestPosition'>, position: DeviceListPosition): StreamProvider {
  return {
    stream: 'device_list',
    latest: async () => position.get(),
    initial: async () => {},
    async incremental(ctx, from, to) {
      const pduFrom = ctx.since?.pdu;
      if (pduFrom === undefined) return;
      const pduTo = await storage.latestPosition();
      if (to <= from && pduTo <= pduFrom) return;
      const { changed, left } = await deviceListChanges(storage, ctx.userId, ctx.memberships, { from, to, pduFrom, pduTo });
      ctx.response.device_lists.changed.push(...changed);
      ctx.response.device_lists.left.push(...left);
    },
  };
}
