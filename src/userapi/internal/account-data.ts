/** Global and per-room account data, with the stream positions sync works from. */
import type { AccountDataEntry, PerformAccountDataUpdateRequest, PerformAccountDataUpdateResponse, QueryAccountDataRequest, QueryAccountDataResponse } from '../api.js';
import { asStoredPushRules, mergeWithDefaults } from '../pushrules/index.js';
import type { StoredAccountData } from '../storage/index.js';
import { requireActiveAccount } from './account-view.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The account-data type push rules are stored under. */
export const PUSH_RULES_TYPE = 'm.push_rules';

/**
 * Sets (or with null content deletes) an entry and announces it on `OutputAccountData`.
 * This is the internal write: refusing types clients may not set (`m.fully_read`,
 * `m.push_rules`) is the clientapi's job.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown user, `M_USER_DEACTIVATED` for a deactivated one.
 */
export async function performAccountDataUpdate(
  ctx: UserInternalContext,
  req: PerformAccountDataUpdateRequest,
): Promise<PerformAccountDataUpdateResponse> {
  const account = await requireActiveAccount(ctx, req.userId);
  const position = await ctx.storage.putAccountData({
    localpart: account.localpart,
    userId: req.userId,
    roomId: req.roomId ?? null,
    type: req.type,
    content: req.content,
  });
  // Without a compare-and-set the write always lands.
  if (position === undefined) throw new Error('account data write without expectedPosition reported a conflict');
  await ctx.flushOutbox();
  return { streamPosition: position };
}

/**
 * Entries in stream order. Without `since`: what exists now, with `m.push_rules` always present
 * (the defaults for a user who never changed them), as an initial sync needs. With `since`:
 * every change after it, deletions included.
 */
export async function queryAccountData(ctx: UserInternalContext, req: QueryAccountDataRequest): Promise<QueryAccountDataResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { entries: [], streamPosition: 0 };
  // The position is read first: an entry written meanwhile then shows up again next time,
  // which is harmless, instead of being skipped.
  let position = await ctx.storage.getAccountDataPosition(localpart);
  const roomId = req.roomId !== undefined ? req.roomId : req.includeRooms ? undefined : null;
  const stored = await ctx.storage.getAccountData(localpart, { roomId, type: req.type, since: req.since });
  const entries = stored.map((e) => entryView(e, req.userId));
  for (const e of entries) position = Math.max(position, e.streamPosition);
  const globalScope = typeof roomId !== 'string';
  const wantsPushRules = req.since === undefined && globalScope && (req.type === undefined || req.type === PUSH_RULES_TYPE);
  if (wantsPushRules && !entries.some(isGlobalPushRules)) {
    const content = { global: mergeWithDefaults(undefined, req.userId) };
    entries.unshift({ roomId: null, type: PUSH_RULES_TYPE, content, streamPosition: 0, deleted: false });
  }
  return { entries, streamPosition: position };
}

function isGlobalPushRules(e: AccountDataEntry): boolean {
  return e.roomId === null && e.type === PUSH_RULES_TYPE;
}

function entryView(e: StoredAccountData, userId: string): AccountDataEntry {
  if (e.content === null) return { roomId: e.roomId, type: e.type, content: {}, streamPosition: e.streamPosition, deleted: true };
  const content =
    e.roomId === null && e.type === PUSH_RULES_TYPE ? { global: mergeWithDefaults(asStoredPushRules(e.content), userId) } : e.content;
  return { roomId: e.roomId, type: e.type, content, streamPosition: e.streamPosition, deleted: false };
}
