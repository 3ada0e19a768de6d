/** Changes to a device record: its display name and where it was last seen. */
import type { EmptyResponse, FoundResponse, PerformDeviceUpdateRequest, PerformLastSeenUpdateRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** Renames a device; `found` false when the user has no such device. */
export async function performDeviceUpdate(ctx: UserInternalContext, req: PerformDeviceUpdateRequest): Promise<FoundResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { found: false };
  return { found: await ctx.storage.setDeviceDisplayName(localpart, req.deviceId, req.displayName) };
}

/** Records a sighting of the device (callers throttle: this writes every time). */
export async function performLastSeenUpdate(ctx: UserInternalContext, req: PerformLastSeenUpdateRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart !== undefined) {
    await ctx.storage.recordLastSeen(localpart, req.deviceId, { ts: ctx.now(), ip: req.ip, userAgent: req.userAgent });
  }
  return {};
}
