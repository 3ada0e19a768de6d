/** Lists a user's devices. */
import type { QueryDevicesRequest, QueryDevicesResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The user's devices (only the listed ones when `deviceIds` is given), ordered by device ID. */
export async function queryDevices(ctx: UserInternalContext, req: QueryDevicesRequest): Promise<QueryDevicesResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { devices: [] };
  const devices = await ctx.storage.getDevices(localpart, req.deviceIds);
  return { devices: devices.map((d) => ({ userId: req.userId, ...d })) };
}
