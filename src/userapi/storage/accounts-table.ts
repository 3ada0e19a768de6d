/** Queries on `userapi_accounts`. */
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { AccountListOrder, AccountType } from '../api.js';
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

/** Marks a deactivated account active again (still without a password); false when unknown or not deactivated. */
export async function markReactivated(db: Kysely<UserapiTables>, localpart: string): Promise<boolean> {
  const res = await db
    .updateTable('userapi_accounts')
    .set({ deactivated: 0 })
    .where('localpart', '=', localpart)
    .where('deactivated', '=', 1)
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

/**
 * Sets the server-admin flag. Plain accounts also change type between `user` and `admin`, so the
 * type keeps saying what it did at creation; guests and appservice users keep theirs. False when
 * there is no such account.
 */
export async function updateAdmin(db: Kysely<UserapiTables>, localpart: string, admin: boolean): Promise<boolean> {
  const res = await db
    .updateTable('userapi_accounts')
    .set((eb) => ({
      is_admin: admin ? 1 : 0,
      account_type: eb
        .case()
        .when('account_type', 'in', ['user', 'admin'])
        .then(admin ? 'admin' : 'user')
        .else(eb.ref('account_type'))
        .end(),
    }))
    .where('localpart', '=', localpart)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** One page of an account list, filtered and ordered (Synapse's `GET /_synapse/admin/v2/users`). */
export interface AccountListQuery {
  /** Rows to skip. */
  readonly offset: number;
  readonly limit: number;
  /** Localpart or display name contains this, ignoring case. */
  readonly nameContains?: string;
  /** The full user ID (`@localpart:serverName`) contains this, ignoring case. */
  readonly userIdContains?: { readonly text: string; readonly serverName: string };
  readonly includeGuests: boolean;
  readonly includeDeactivated: boolean;
  readonly includeLocked: boolean;
  /** Only admins (true), only non-admins (false), or both (absent). */
  readonly admins?: boolean;
  readonly orderBy: AccountListOrder;
  readonly descending: boolean;
}

/** A listed account: the account with its profile and when any of its devices was last seen. */
export interface ListedAccount extends ModeratedAccount {
  readonly displayname: string | null;
  readonly avatarUrl: string | null;
  readonly lastSeenTs: number | null;
}

/** A page of accounts and how many match the filters in all. */
export interface AccountListPage {
  readonly accounts: readonly ListedAccount[];
  readonly total: number;
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The filtered rows: accounts with their profile and their devices' latest sighting. */
function filteredAccounts(db: Kysely<UserapiTables>, q: AccountListQuery) {
  let qb = db
    .selectFrom('userapi_accounts as a')
    .leftJoin('userapi_profiles as p', 'p.localpart', 'a.localpart')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('userapi_devices')
          .select((e) => ['localpart', e.fn.max('last_seen_ts').as('last_seen_ts')])
          .groupBy('localpart')
          .as('d'),
      (join) => join.onRef('d.localpart', '=', 'a.localpart'),
    );
  if (q.nameContains !== undefined) {
    const pattern = containsPattern(q.nameContains);
    qb = qb.where(sql<boolean>`(lower(a.localpart) like ${pattern} escape '\\' or lower(p.displayname) like ${pattern} escape '\\')`);
  } else if (q.userIdContains !== undefined) {
    const pattern = containsPattern(q.userIdContains.text);
    const server = q.userIdContains.serverName;
    qb = qb.where(sql<boolean>`lower('@' || a.localpart || ':' || ${server}) like ${pattern} escape '\\'`);
  }
  if (!q.includeGuests) qb = qb.where('a.account_type', '!=', 'guest');
  if (!q.includeDeactivated) qb = qb.where('a.deactivated', '=', 0);
  if (!q.includeLocked) qb = qb.where('a.locked', '=', 0);
  if (q.admins !== undefined) qb = qb.where('a.is_admin', '=', q.admins ? 1 : 0);
  return qb;
}

/** The column each order sorts on; `nullable` ones put accounts without a value last going forwards. */
const ORDER_COLUMNS = {
  name: { column: sql`a.localpart`, nullable: false },
  guest: { column: sql`case when a.account_type = 'guest' then 1 else 0 end`, nullable: false },
  admin: { column: sql`a.is_admin`, nullable: false },
  deactivated: { column: sql`a.deactivated`, nullable: false },
  locked: { column: sql`a.locked`, nullable: false },
  displayname: { column: sql`p.displayname`, nullable: true },
  avatarUrl: { column: sql`p.avatar_url`, nullable: true },
  creationTs: { column: sql`a.created_ts`, nullable: false },
  lastSeenTs: { column: sql`d.last_seen_ts`, nullable: true },
} as const satisfies Record<AccountListOrder, { column: RawBuilder<unknown>; nullable: boolean }>;

/**
 * One page of local accounts. Where NULLs sort is fixed here (last going forwards, first going
 * backwards, as PostgreSQL does) so both engines return the same order.
 */
export async function selectAccountPage(db: Kysely<UserapiTables>, q: AccountListQuery): Promise<AccountListPage> {
  const countRow = await filteredAccounts(db, q)
    .select((eb) => eb.fn.countAll().as('total'))
    .executeTakeFirstOrThrow();
  const { column, nullable } = ORDER_COLUMNS[q.orderBy];
  const dir = q.descending ? sql`desc` : sql`asc`;
  let page = filteredAccounts(db, q).selectAll('a').select(['p.displayname', 'p.avatar_url', 'd.last_seen_ts']);
  if (nullable) page = page.orderBy(sql`case when ${column} is null then 1 else 0 end ${dir}`);
  const rows = await page
    .orderBy(sql`${column} ${dir}`)
    .orderBy('a.localpart', 'asc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return {
    accounts: rows.map((row) => ({
      ...accountFromRow(row),
      displayname: row.displayname ?? null,
      avatarUrl: row.avatar_url ?? null,
      lastSeenTs: row.last_seen_ts === null || row.last_seen_ts === undefined ? null : Number(row.last_seen_ts),
    })),
    total: Number(countRow.total),
  };
}
