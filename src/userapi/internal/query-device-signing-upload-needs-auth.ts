/** Whether an upload of cross-signing keys needs user-interactive auth. */
import type { JsonObject } from '../../matrix/json.js';
import type { PerformUploadDeviceSigningKeysRequest, QueryDeviceSigningUploadNeedsAuthResponse } from '../api.js';
import { signedContent } from './key-json.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * Spec v1.11 (MSC3967), as Synapse applies it: no UIA when the user has no master key yet (the
 * first set-up), nor when the request holds a master key and every key it holds equals the stored
 * one (a retried upload whose answer was lost). Anything else replaces keys and needs UIA.
 * Keys compare on what their signatures cover, so signatures added later do not count.
 */
export async function queryDeviceSigningUploadNeedsAuth(
  ctx: UserInternalContext,
  req: PerformUploadDeviceSigningKeysRequest,
): Promise<QueryDeviceSigningUploadNeedsAuthResponse> {
  const stored = (await ctx.storage.e2eKeys.getCrossSigningKeys([req.userId], req.userId)).get(req.userId) ?? {};
  if (!stored.master) return { needsAuth: false };
  if (!req.master) return { needsAuth: true };
  const same = (given: JsonObject | undefined, have: JsonObject | undefined) =>
    given === undefined || (have !== undefined && signedContent(given) === signedContent(have));
  const unchanged = same(req.master, stored.master) && same(req.selfSigning, stored.self_signing) && same(req.userSigning, stored.user_signing);
  return { needsAuth: !unchanged };
}
