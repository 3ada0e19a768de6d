/**
 * Queries on `userapi_registration_tokens`, with Synapse's semantics: a token is valid while it
 * has not expired and `pending + completed < uses_allowed` (or uses are unlimited); a use is
 * `pending` from the moment the UIA stage passes until the registration completes.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { RegistrationToken } from '../api.js';
import type { UserapiTables } from './userapi-tables.js';

type Eb = ExpressionBuilder<UserapiTables, 'userapi_registration_tokens'>;

/** The SQL form of "valid at `now`". */
function validAt(eb: Eb, now: number) {
  return eb.and([
    eb.or([eb('uses_allowed', 'is', null), eb(eb('pending', '+', eb.ref('completed')), '<', eb.ref('uses_allowed'))]),
    eb.or([eb('expiry_time', 'is', null), eb('expiry_time', '>', now)]),
  ]);
}

/** Inserts a token; false when it exists. */
export async function insertRegistrationToken(db: Kysely<UserapiTables>, t: RegistrationToken): Promise<boolean> {
  const res = await db
    .insertInto('userapi_registration_tokens')
    .values({ token: t.token, uses_allowed: t.usesAllowed, pending: t.pending, completed: t.completed, expiry_time: t.expiryTime })
    .onConflict((oc) => oc.column('token').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function selectRegistrationToken(db: Kysely<UserapiTables>, token: string): Promise<RegistrationToken | undefined> {
  const row = await db.selectFrom('userapi_registration_tokens').selectAll().where('token', '=', token).executeTakeFirst();
  return row && fromRow(row);
}

/** Every token, or only the valid (`true`) or invalid (`false`) ones at `now`. */
export async function selectRegistrationTokens(db: Kysely<UserapiTables>, valid: boolean | undefined, now: number): Promise<RegistrationToken[]> {
  let q = db.selectFrom('userapi_registration_tokens').selectAll();
  if (valid !== undefined) q = q.where((eb) => (valid ? validAt(eb, now) : eb.not(validAt(eb, now))));
  const rows = await q.orderBy('token').execute();
  return rows.map(fromRow);
}

export interface RegistrationTokenChanges {
  readonly usesAllowed?: number | null;
  readonly expiryTime?: number | null;
}

/** Changes a token's limits; false when it does not exist. */
export async function updateRegistrationToken(db: Kysely<UserapiTables>, token: string, c: RegistrationTokenChanges): Promise<boolean> {
  const set: { uses_allowed?: number | null; expiry_time?: number | null } = {};
  if (c.usesAllowed !== undefined) set.uses_allowed = c.usesAllowed;
  if (c.expiryTime !== undefined) set.expiry_time = c.expiryTime;
  if (Object.keys(set).length === 0) return (await selectRegistrationToken(db, token)) !== undefined;
  const res = await db.updateTable('userapi_registration_tokens').set(set).where('token', '=', token).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function deleteRegistrationToken(db: Kysely<UserapiTables>, token: string): Promise<boolean> {
  const res = await db.deleteFrom('userapi_registration_tokens').where('token', '=', token).executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/** Counts one pending use if the token is valid, in one statement (no two racing reservations exceed the limit). */
export async function reserveUse(db: Kysely<UserapiTables>, token: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('userapi_registration_tokens')
    .set((eb) => ({ pending: eb('pending', '+', 1) }))
    .where('token', '=', token)
    .where((eb) => validAt(eb, now))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Gives back a pending use (the registration was abandoned). */
export async function releaseUse(db: Kysely<UserapiTables>, token: string): Promise<void> {
  await db
    .updateTable('userapi_registration_tokens')
    .set((eb) => ({ pending: eb('pending', '-', 1) }))
    .where('token', '=', token)
    .where('pending', '>', 0)
    .execute();
}

/** Turns a pending use into a completed one (a use with none pending still counts as completed). */
export async function completeUse(db: Kysely<UserapiTables>, token: string): Promise<void> {
  await db
    .updateTable('userapi_registration_tokens')
    .set((eb) => ({
      pending: eb.case().when('pending', '>', 0).then(eb('pending', '-', 1)).else(0).end(),
      completed: eb('completed', '+', 1),
    }))
    .where('token', '=', token)
    .execute();
}

function fromRow(r: { token: string; uses_allowed: number | null; pending: number; completed: number; expiry_time: number | null }): RegistrationToken {
  return {
    token: r.token,
    usesAllowed: r.uses_allowed,
    pending: r.pending,
    completed: r.completed,
    expiryTime: r.expiry_time === null ? null : Number(r.expiry_time),
  };
}
