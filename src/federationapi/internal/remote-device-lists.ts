/**
 * Other servers' users' device lists, as we track them (spec server-server "Device Management"):
 * `m.device_list_update` EDUs are applied in order when their `prev_id` names the update we
 * applied last; any gap (an unknown user, a `prev_id` we do not hold) makes us fetch a snapshot
 * with `GET /user/devices/{userId}` from the user's server instead. `m.signing_key_update`s
 * replace the cached cross-signing keys. Every change is announced on
 * `OutputRemoteKeyChangeEvent` (through the storage's outbox), so local syncs list the user in
 * `device_lists.changed`.
 *
 * Only users sharing a room with us are tracked: their server tells us of every change, so
 * their cached list stays right. Updates about anyone else are ignored, and a cached list is
 * used only while its user still shares a room with us and for {@link CACHE_MAX_AGE_MS} after its
 * last confirmation — a bound on how stale a list can be after we left every shared room and
 * missed updates before rejoining. Updates of one user are applied one at a time.
 */
import type { Logger } from 'pino';
import { isJsonObject, type JsonObject, type JsonValue } from '../../matrix/json.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { FederationClient } from '../client/federation-client.js';
import type { RemoteKeyChanged } from '../producers/output-remote-key-change.js';
import type { RemoteDevice, RemoteDeviceList, RemoteDeviceListStorage } from '../storage/remote-device-lists-table.js';

/** How long a cached list is used after its last update or resync. */
export const CACHE_MAX_AGE_MS = 60 * 60 * 1000;

/** Rooms looked at to decide whether a remote user shares one with us. */
const ROOMS_CHECKED = 50;

/** The time limit of a resync request. */
const RESYNC_TIMEOUT_MS = 30_000;

/** What the tracker needs. */
export interface RemoteDeviceListsDeps {
  readonly serverName: string;
  readonly storage: RemoteDeviceListStorage;
  /** Undefined with federation off: gaps then drop the cached list. */
  readonly client: Pick<FederationClient, 'request'> | undefined;
  readonly roomserver: Pick<ClientRoomserverAPI, 'queryRoomsForUser' | 'queryJoinedServers'>;
  readonly now: () => number;
  readonly logger?: Logger;
}

/** The tracker. */
export interface RemoteDeviceLists {
  /** Applies one `m.device_list_update` from `origin`; why it was ignored, if it was. */
  applyDeviceListUpdate(origin: string, content: JsonValue | undefined): Promise<string | undefined>;
  /** Applies one `m.signing_key_update` from `origin`; why it was ignored, if it was. */
  applySigningKeyUpdate(origin: string, content: JsonValue | undefined): Promise<string | undefined>;
  /** The cached lists of those users that may be answered from the cache. */
  usableLists(userIds: readonly string[]): Promise<Map<string, RemoteDeviceList>>;
}

/** The tracker over `deps`. */
export function createRemoteDeviceLists(deps: RemoteDeviceListsDeps): RemoteDeviceLists {
  const queues = new Map<string, Promise<unknown>>();
  // One user's updates one after the other: a resync must not interleave with an update.
  const serially = <T>(userId: string, work: () => Promise<T>): Promise<T> => {
    const run = (queues.get(userId) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(userId, tail);
    void tail.then(() => {
      if (queues.get(userId) === tail) queues.delete(userId);
    });
    return run;
  };

  const sharesRoom = async (userId: string): Promise<boolean> => {
    const { roomIds } = await deps.roomserver.queryRoomsForUser({ userId, membership: 'join' });
    for (const roomId of roomIds.slice(0, ROOMS_CHECKED)) {
      const { serverNames } = await deps.roomserver.queryJoinedServers({ roomId });
      if (serverNames.includes(deps.serverName)) return true;
    }
    return false;
  };

  const current = async (userId: string): Promise<RemoteDeviceList | undefined> => (await deps.storage.getRemoteDeviceLists([userId])).get(userId);

  const resync = async (origin: string, userId: string, cause: RemoteKeyChanged['cause']): Promise<void> => {
    const change: RemoteKeyChanged = { type: 'remote_key_change', userId, cause };
    try {
      if (!deps.client) throw new Error('federation is disabled');
      const answer = await deps.client.request<unknown>({ method: 'GET', destination: origin, path: `/_matrix/federation/v1/user/devices/${encodeURIComponent(userId)}`, timeoutMs: RESYNC_TIMEOUT_MS });
      await deps.storage.putRemoteDeviceList(parseDeviceListSnapshot(userId, answer, deps.now()), change);
    } catch (e) {
      // Without a snapshot nothing cached can be trusted: queries go to the server until the next update.
      deps.logger?.info({ origin, userId, err: (e as Error).message }, 'device list resync failed; dropped the cached list');
      await deps.storage.dropRemoteDeviceList(userId, change);
    }
  };

  return {
    async applyDeviceListUpdate(origin, content) {
      if (!isJsonObject(content)) return 'content is not an object';
      const { user_id: userId, device_id: deviceId, stream_id: streamId } = content;
      if (typeof userId !== 'string' || typeof deviceId !== 'string' || typeof streamId !== 'number') return 'user_id, device_id or stream_id missing';
      const user = parseUserId(userId, { allowHistorical: true });
      if (!user.ok || user.value.serverName !== origin) return `${userId} is not a user of ${origin}`;
      const prevIds = Array.isArray(content.prev_id) ? content.prev_id.filter((p): p is number => typeof p === 'number') : [];
      return serially(userId, async () => {
        if (!(await sharesRoom(userId))) return `${userId} shares no room with us`;
        const list = await current(userId);
        if (list && streamId <= list.streamId) return 'already applied';
        if (!list || !prevIds.includes(list.streamId)) {
          await resync(origin, userId, 'resync');
          return undefined;
        }
        const devices: Record<string, RemoteDevice> = { ...list.devices };
        if (content.deleted === true) delete devices[deviceId];
        else {
          const before = devices[deviceId];
          devices[deviceId] = {
            keys: isJsonObject(content.keys) && content.keys.user_id === userId && content.keys.device_id === deviceId ? content.keys : (before?.keys ?? null),
            displayName: typeof content.device_display_name === 'string' ? content.device_display_name : (before?.displayName ?? null),
          };
        }
        await deps.storage.putRemoteDeviceList({ ...list, streamId, devices, updatedAt: deps.now() }, { type: 'remote_key_change', userId, cause: 'device_list_update' });
        return undefined;
      });
    },
    async applySigningKeyUpdate(origin, content) {
      if (!isJsonObject(content) || typeof content.user_id !== 'string') return 'user_id missing';
      const userId = content.user_id;
      const user = parseUserId(userId, { allowHistorical: true });
      if (!user.ok || user.value.serverName !== origin) return `${userId} is not a user of ${origin}`;
      const masterKey = isJsonObject(content.master_key) ? content.master_key : undefined;
      const selfSigningKey = isJsonObject(content.self_signing_key) ? content.self_signing_key : undefined;
      return serially(userId, async () => {
        if (!(await sharesRoom(userId))) return `${userId} shares no room with us`;
        const list = await current(userId);
        const change: RemoteKeyChanged = { type: 'remote_key_change', userId, cause: 'signing_key_update' };
        // Not tracked yet: nothing to update, but local clients must still hear of the change.
        if (!list) await deps.storage.dropRemoteDeviceList(userId, change);
        else await deps.storage.putRemoteDeviceList({ ...list, masterKey: masterKey ?? list.masterKey, selfSigningKey: selfSigningKey ?? list.selfSigningKey }, change);
        return undefined;
      });
    },
    async usableLists(userIds) {
      const lists = await deps.storage.getRemoteDeviceLists(userIds);
      const usable = new Map<string, RemoteDeviceList>();
      for (const [userId, list] of lists) {
        if (deps.now() - list.updatedAt > CACHE_MAX_AGE_MS) continue;
        if (await sharesRoom(userId)) usable.set(userId, list);
      }
      return usable;
    },
  };
}

/**
 * A `/user/devices/{userId}` answer as a list to cache. Devices whose keys name another user or
 * device are kept without keys, and cross-signing keys of another user are dropped: the answer
 * is untrusted.
 * @throws when the answer is not a device list of `userId`.
 */
export function parseDeviceListSnapshot(userId: string, answer: unknown, now: number): RemoteDeviceList {
  if (!isJsonObject(answer) || answer.user_id !== userId || typeof answer.stream_id !== 'number' || !Array.isArray(answer.devices)) {
    throw new Error('the answer is not a device list of the user');
  }
  const devices: Record<string, RemoteDevice> = {};
  for (const d of answer.devices) {
    if (!isJsonObject(d) || typeof d.device_id !== 'string') continue;
    const keys = isJsonObject(d.keys) && d.keys.user_id === userId && d.keys.device_id === d.device_id ? d.keys : null;
    devices[d.device_id] = { keys, displayName: typeof d.device_display_name === 'string' ? d.device_display_name : null };
  }
  const ownKey = (k: JsonValue | undefined): JsonObject | null => (isJsonObject(k) && k.user_id === userId ? k : null);
  return { userId, streamId: answer.stream_id, devices, masterKey: ownKey(answer.master_key), selfSigningKey: ownKey(answer.self_signing_key), updatedAt: now };
}
