/**
 * `device_one_time_keys_count` and `device_unused_fallback_key_types` of `/sync`: what the
 * syncing device has left of its one-time and fallback keys, so it can upload more before
 * others run out. Not a stream: read from the userapi for every response (one cheap query), and
 * never a reason to end a long-poll.
 */
import type { SyncUserAPI } from '../../userapi/api.js';
import type { SyncResponse } from './sync-response.js';

/**
 * Writes the device's counts into `res`. A request without a device (some appservice requests)
 * gets the empty values, which the spec's shapes allow.
 */
export async function addOneTimeKeyCounts(
  userapi: Pick<SyncUserAPI, 'queryOneTimeKeyCounts'>,
  device: { readonly userId: string; readonly deviceId: string | undefined },
  res: SyncResponse,
): Promise<void> {
  if (device.deviceId === undefined) {
    res.device_unused_fallback_key_types = [];
    return;
  }
  const counts = await userapi.queryOneTimeKeyCounts({ userId: device.userId, deviceId: device.deviceId });
  res.device_one_time_keys_count = { ...counts.oneTimeKeyCounts };
  res.device_unused_fallback_key_types = [...counts.unusedFallbackKeyTypes];
}
