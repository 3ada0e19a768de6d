/**
 * Queries on `federationapi_server_keys`. A response is stored as one row per key it lists, each
 * carrying the response's JSON: a lookup by (server, key ID) is one primary-key read, and the
 * notary routes re-serve the distinct responses of a server without re-signing anything.
 */
import type { Kysely } from 'kysely';
import type { FederationapiTables, ServerKeysTable } from './federationapi-tables.js';

/**
 * Stores rows, replacing a stored row only with one from a response valid at least as long: a
 * stale response (a notary's old cache, a slow request finishing late) never overwrites a
 * fresher one.
 */
export async function upsertServerKeys(db: Kysely<FederationapiTables>, rows: readonly ServerKeysTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('federationapi_server_keys')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['server_name', 'key_id'])
        .doUpdateSet((eb) => ({
          public_key: eb.ref('excluded.public_key'),
          valid_until_ts: eb.ref('excluded.valid_until_ts'),
          expired_ts: eb.ref('excluded.expired_ts'),
          key_json: eb.ref('excluded.key_json'),
          fetched_at: eb.ref('excluded.fetched_at'),
        }))
        .where((eb) => eb('federationapi_server_keys.valid_until_ts', '<=', eb.ref('excluded.valid_until_ts'))),
    )
    .execute();
}

/** The stored row of one key. */
export async function selectServerKey(
  db: Kysely<FederationapiTables>,
  serverName: string,
  keyId: string,
): Promise<ServerKeysTable | undefined> {
  return db
    .selectFrom('federationapi_server_keys')
    .selectAll()
    .where('server_name', '=', serverName)
    .where('key_id', '=', keyId)
    .executeTakeFirst();
}

/** The distinct stored responses of a server, the one valid longest first. */
export async function selectServerKeysResponses(
  db: Kysely<FederationapiTables>,
  serverName: string,
): Promise<Array<Pick<ServerKeysTable, 'key_json' | 'valid_until_ts' | 'fetched_at'>>> {
  const rows = await db
    .selectFrom('federationapi_server_keys')
    .select(['key_json', 'valid_until_ts', 'fetched_at'])
    .where('server_name', '=', serverName)
    .orderBy('valid_until_ts', 'desc')
    .orderBy('fetched_at', 'desc')
    .execute();
  // Rows of one response share its JSON; a server lists a handful of keys, so this is cheaper
  // than a DISTINCT over a TEXT column.
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.key_json) && seen.add(r.key_json));
}
