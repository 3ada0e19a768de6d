/**
 * Registration-token uses tied to UIA sessions: a use reserved for a session is given back when
 * the session is deleted or expires before the registration completes (as Synapse does), so an
 * abandoned sign-up does not burn a limited token.
 */
import type { Kysely } from 'kysely';
import { completeUse, releaseUse, reserveUse } from './registration-tokens-table.js';
import { deleteUiaSessions, selectUiaSession, swapRegistrationToken } from './uia-sessions-table.js';
import type { UserapiTables } from './userapi-tables.js';
import { withRetriedTransaction, WriteConflict } from './with-retried-transaction.js';

/** The session a use is reserved for, and the creation time before which sessions count as expired. */
export interface ReservingSession {
  readonly sessionId: string;
  readonly notBefore: number;
}

export type ReserveOutcome = 'reserved' | 'invalid' | 'no_session';

/**
 * Counts one pending use of a valid token. With a session, the use is recorded on it; a session
 * that already holds this token keeps its one use, and one that held another token gives that back.
 */
export async function reserveTokenUse(
  db: Kysely<UserapiTables>,
  token: string,
  now: number,
  session: ReservingSession | undefined,
): Promise<ReserveOutcome> {
  if (!session) return (await reserveUse(db, token, now)) ? 'reserved' : 'invalid';
  return withRetriedTransaction(db, async (trx) => {
    const s = await selectUiaSession(trx, session.sessionId, session.notBefore);
    if (!s) return 'no_session';
    if (s.registrationToken === token) return 'reserved';
    if (!(await reserveUse(trx, token, now))) return 'invalid';
    if (!(await swapRegistrationToken(trx, session.sessionId, s.registrationToken, token))) throw new WriteConflict();
    if (s.registrationToken !== null) await releaseUse(trx, s.registrationToken);
    return 'reserved';
  });
}

/** Turns the pending use into a completed one and detaches it from the session. */
export async function completeTokenUse(db: Kysely<UserapiTables>, token: string, sessionId: string | undefined): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await completeUse(trx, token);
    if (sessionId !== undefined) await swapRegistrationToken(trx, sessionId, token, null);
  });
}

/** Deletes one session, or every session created at or before a time, giving back their pending uses. */
export async function deleteSessionsReleasingUses(
  db: Kysely<UserapiTables>,
  which: { readonly sessionId: string } | { readonly createdBefore: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const token of await deleteUiaSessions(trx, which)) await releaseUse(trx, token);
  });
}
