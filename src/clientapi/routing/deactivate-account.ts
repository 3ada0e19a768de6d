/**
 * Deactivating an account, for `POST /account/deactivate` and the admin API alike: the userapi
 * deactivates it (no more logins, every device gone, with `erase` the profile cleared), then the
 * user leaves every room, rejects their invites and rescinds their knocks (spec: a deactivated
 * user leaves their rooms). A room where that fails is logged and does not fail the request:
 * the account is gone either way. Axon never hides a user's past messages from new members,
 * which is what Synapse's erasure also does.
 */
import type { ClientRouteDeps } from './client-route-deps.js';

/** Deactivates `userId` and makes them leave their rooms. */
export async function deactivateAccount(deps: Pick<ClientRouteDeps, 'userApi' | 'roomserverApi' | 'logger'>, userId: string, erase: boolean): Promise<void> {
  await deps.userApi.performAccountDeactivation({ userId, erase });
  try {
    await deps.roomserverApi.performLeaveAllRooms({ userId });
  } catch (e) {
    deps.logger.warn({ err: e, userId }, 'clientapi: a deactivated account could not leave its rooms');
  }
}
