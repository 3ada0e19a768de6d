/** Queries on `userapi_accounts`. */
import type { Kysely, Selectable } from 'kysely';
import type { AccountType } from '../api.js';
import type { AccountsTable, UserapiTables } from './userapi-tables.js';

/** An account as created, including its password hash (never leaves the userapi); reads add {@link AccountModeration}. */
export interface StoredAccount {
  readonly localpart: string;
  readonly passwordHash: string | null;
  readonly accountType: AccountType;
  readonly isAdmin: boolean;
  readonly deactivated: boolean;
  readonly appserviceId: string | null;
  readonly createdTs: number;
}

/** What an administrator has put on an account (spec "Account moderation"); a new account has neither. */
export interface AccountModeration {
  readonly locked: boolean;
  readonly suspended: boolean;
}

/** An account as read back: as created, with its moderation flags. */
export type ModeratedAccount = StoredAccount & AccountModeration;

/** Inserts an account; false when the localpart is taken. */
export async function insertAccount(db: Kysely<UserapiTables>, a: StoredAccount): Promise<boolean> {
  const res = await db
    .insertInto('userapi_accounts')
    .values({
      localpart: a.localpart,
      password_hash: a.passwordHash,
      account_type: a.accountType,
      is_admin: a.isAdmin ? 1 : 0,
      deactivated: a.deactivated ? 1 : 0,
      appservice_id: a.appserviceId,
      created_ts: a.createdTs,
    })
    .onConflict((oc) => oc.column('localpart').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function selectAccount(db: Kysely<UserapiTables>, localpart: string): Promise<ModeratedAccount | undefined> {
  const row = await db.selectFrom('userapi_accounts').selectAll().where('localpart', '=', localpart).executeTakeFirst();
  return row && accountFromRow(row);
}

/** Sets the password hash; false when there is no such account. */
export async function updatePasswordHash(db: Kysely<UserapiTables>, localpart: string, hash: string | null): Promise<boolean> {
  const res = await db.updateTable('userapi_accounts').set({ password_hash: hash }).where('localpart', '=', localpart).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Marks the account deactivated and forgets its password; false when there is no such account. */
export async function markDeactivated(db: Kysely<UserapiTables>, localpart: string): Promise<boolean> {
  const res = await db
    .updateTable('userapi_accounts')
    .set({ deactivated: 1, password_hash: null })
    .where('localpart', '=', localpart)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Sets one moderation flag of an account that is not deactivated (the spec treats a deactivated
 * account as not found); false when there is no such account.
 */
export async function updateModeration(db: Kysely<UserapiTables>, localpart: string, flag: keyof AccountModeration, value: boolean): Promise<boolean> {
  const res = await db
    .updateTable('userapi_accounts')
    .set(flag === 'locked' ? { locked: value ? 1 : 0 } : { suspended: value ? 1 : 0 })
    .where('localpart', '=', localpart)
    .where('deactivated', '=', 0)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function accountFromRow(row: Selectable<AccountsTable>): ModeratedAccount {
  return {
    localpart: row.localpart,
    passwordHash: row.password_hash,
    accountType: row.account_type as AccountType,
    isAdmin: row.is_admin === 1,
    deactivated: row.deactivated === 1,
    appserviceId: row.appservice_id,
    createdTs: row.created_ts,
    locked: row.locked === 1,
    suspended: row.suspended === 1,
  };
}
