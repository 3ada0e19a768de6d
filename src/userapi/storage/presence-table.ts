/**
 * Queries on `userapi_presence` and its server-wide stream counter. Each write takes the next
 * position from the single counter row; on PostgreSQL that row stays locked until the writing
 * transaction commits, so positions commit in order and a reader of "changes after N" can never
 * skip a change that commits late. Presence writes are rare (an explicit client request), so one
 * counter for every user costs little.
 */
import type { Kysely } from 'kysely';
import type { Outbox } from '../../internal/bus/bus.js';
import type { PresenceState } from '../api.js';
import { presenceChangedMessage } from '../producers/output-presence.js';
import type { UserapiTables } from './userapi-tables.js';

/** The one row of `userapi_presence_stream`. */
const COUNTER_ID = 1;
/** Localparts per `IN (…)` list, well under every engine's bind-parameter limit. */
const READ_CHUNK = 500;

/** A user's stored presence. */
export interface StoredPresence {
  readonly localpart: string;
  readonly presence: PresenceState;
  readonly statusMsg: string | null;
  /** null until the user is first active. */
  readonly lastActiveTs: number | null;
  readonly streamPosition: number;
}

/** One presence write. */
export interface PresenceWrite {
  readonly localpart: string;
  /** The full user ID, for the bus message. */
  readonly userId: string;
  readonly presence: PresenceState;
  readonly statusMsg: string | null;
  /** The activity this write records; null keeps the stored last-active time. */
  readonly lastActiveTs: number | null;
}

/**
 * Writes the user's presence and queues its `OutputPresenceEvent` in one transaction, so a
 * committed change is always announced (the outbox relays it). The stored result.
 */
export async function writePresence(db: Kysely<UserapiTables>, outbox: Outbox, w: PresenceWrite): Promise<StoredPresence> {
  return db.transaction().execute(async (trx) => {
    const position = await nextPresencePosition(trx);
    const row = await trx
      .insertInto('userapi_presence')
      .values({ localpart: w.localpart, presence: w.presence, status_msg: w.statusMsg, last_active_ts: w.lastActiveTs, stream_pos: position })
      .onConflict((oc) =>
        oc.column('localpart').doUpdateSet((eb) => ({
          presence: eb.ref('excluded.presence'),
          status_msg: eb.ref('excluded.status_msg'),
          last_active_ts: eb.fn.coalesce(eb.ref('excluded.last_active_ts'), eb.ref('userapi_presence.last_active_ts')),
          stream_pos: eb.ref('excluded.stream_pos'),
        })),
      )
      .returning(['localpart', 'presence', 'status_msg', 'last_active_ts', 'stream_pos'])
      .executeTakeFirstOrThrow();
    const stored = presenceView(row);
    await outbox.add(trx, [
      presenceChangedMessage({
        userId: w.userId,
        presence: stored.presence,
        statusMsg: stored.statusMsg,
        lastActiveTs: stored.lastActiveTs,
        currentlyActive: stored.presence === 'online' && w.lastActiveTs !== null,
        streamPosition: stored.streamPosition,
      }),
    ]);
    return stored;
  });
}

/** The stored presence of those of `localparts` that ever set one, in no particular order. */
export async function selectPresence(db: Kysely<UserapiTables>, localparts: readonly string[]): Promise<StoredPresence[]> {
  const unique = [...new Set(localparts)];
  const out: StoredPresence[] = [];
  for (let i = 0; i < unique.length; i += READ_CHUNK) {
    const rows = await db
      .selectFrom('userapi_presence')
      .select(['localpart', 'presence', 'status_msg', 'last_active_ts', 'stream_pos'])
      .where('localpart', 'in', unique.slice(i, i + READ_CHUNK))
      .execute();
    out.push(...rows.map(presenceView));
  }
  return out;
}

/** The latest presence stream position handed out, 0 when none. */
export async function latestPresencePosition(db: Kysely<UserapiTables>): Promise<number> {
  const row = await db.selectFrom('userapi_presence_stream').select('position').where('id', '=', COUNTER_ID).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** Takes the next server-wide position (locks the counter row until commit on PostgreSQL). */
async function nextPresencePosition(db: Kysely<UserapiTables>): Promise<number> {
  const row = await db
    .insertInto('userapi_presence_stream')
    .values({ id: COUNTER_ID, position: 1 })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ position: eb('userapi_presence_stream.position', '+', 1) })))
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

interface PresenceRow {
  readonly localpart: string;
  readonly presence: string;
  readonly status_msg: string | null;
  readonly last_active_ts: number | string | null;
  readonly stream_pos: number | string;
}

function presenceView(r: PresenceRow): StoredPresence {
  return {
    localpart: r.localpart,
    presence: asPresenceState(r.presence),
    statusMsg: r.status_msg,
    // BIGINT columns come back as strings from pg.
    lastActiveTs: r.last_active_ts === null ? null : Number(r.last_active_ts),
    streamPosition: Number(r.stream_pos),
  };
}

function asPresenceState(s: string): PresenceState {
  return s === 'online' || s === 'unavailable' ? s : 'offline';
}
