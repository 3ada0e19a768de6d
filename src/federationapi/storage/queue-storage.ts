/**
 * The outbound sender's part of the federationapi storage: per-destination queues of PDUs and
 * EDUs, persisted so a restart resumes where it stopped, and the health (backoff, blacklist) of
 * destinations that have failed. Part of `FederationStorage`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import * as dests from './queue-destinations-table.js';
import * as rows from './queue-rows-table.js';
import type { QueueTables } from './queue-tables.js';

/** An EDU as queued and sent. */
export interface QueuedEdu {
  readonly edu_type: string;
  readonly content: JsonObject;
}

/**
 * What a delivered transaction removes from a queue. Opaque to callers: hand it back to
 * {@link QueueStorage.deleteDelivered} unchanged.
 */
export interface QueueHandle {
  readonly pduIds: readonly number[];
  readonly eduIds: readonly number[];
}

/** The next transaction's content for a destination. */
export interface PendingTransaction {
  /** Oldest first. */
  readonly pdus: readonly JsonObject[];
  /** Oldest first. */
  readonly edus: readonly QueuedEdu[];
  readonly handle: QueueHandle;
}

/** The health of a destination that has failed (a healthy one has none). */
export interface DestinationHealth {
  readonly serverName: string;
  /** Consecutive failed transactions. */
  readonly failureCount: number;
  /** When the current run of failures began (ms). */
  readonly failingSince: number;
  /** No transaction before this time (ms). */
  readonly retryAt: number;
  /** When it was blacklisted (ms); undefined while only backing off. */
  readonly blacklistedAt: number | undefined;
}

/** The sender's storage operations. */
export interface QueueStorage {
  /**
   * Queues the same PDUs, in order, for every destination that is not blacklisted, in one
   * transaction. Returns the destinations queued for.
   */
  queuePdus(destinations: readonly string[], pdus: readonly JsonObject[]): Promise<string[]>;
  /** As {@link queuePdus}, for EDUs. */
  queueEdus(destinations: readonly string[], edus: readonly QueuedEdu[]): Promise<string[]>;
  /** The oldest ≤ `maxPdus` PDUs and ≤ `maxEdus` EDUs queued for a destination. */
  pendingTransaction(destination: string, maxPdus: number, maxEdus: number): Promise<PendingTransaction>;
  /** Removes what a delivered transaction carried. */
  deleteDelivered(destination: string, handle: QueueHandle): Promise<void>;
  /** Every destination with something queued (to resume after a restart). */
  destinationsWithPending(): Promise<string[]>;
  /** The stored health of a destination; undefined when healthy. */
  destinationHealth(serverName: string): Promise<DestinationHealth | undefined>;
  /**
   * Records a destination's health. Blacklisting (`blacklistedAt` set) also drops everything
   * queued for it, in the same transaction: a dead server's queue would only grow.
   */
  setDestinationHealth(health: DestinationHealth): Promise<void>;
  /** Forgets a destination's failures (it answered, or was heard from). */
  clearDestinationHealth(serverName: string): Promise<void>;
  /** Every blacklisted destination. */
  blacklistedDestinations(): Promise<string[]>;
}

const PDUS = 'federationapi_queue_pdus';
const EDUS = 'federationapi_queue_edus';

function parseObjects(found: readonly rows.QueueRow[]): JsonObject[] {
  return found.flatMap((r) => {
    const v: unknown = JSON.parse(r.json);
    return isJsonObject(v) ? [v] : [];
  });
}

/** The sender's storage over an already-migrated database. */
export function createQueueStorage(database: Database): QueueStorage {
  const db = typedDb<QueueTables>(database);
  // Two bind parameters per inserted row; IN lists one per element.
  const insertChunk = Math.max(1, Math.min(500, Math.floor((database.caps.maxBindParams - 8) / 2)));
  const inChunk = Math.max(1, Math.min(1000, database.caps.maxBindParams - 8));

  const enqueue = async (t: rows.QueueTable, destinations: readonly string[], items: readonly JsonObject[]): Promise<string[]> => {
    const unique = [...new Set(destinations)];
    if (unique.length === 0 || items.length === 0) return [];
    const texts = items.map((i) => JSON.stringify(i));
    return db.transaction().execute(async (trx) => {
      const blacklisted = await dests.selectBlacklistedAmong(trx, unique, inChunk);
      const queued = unique.filter((d) => !blacklisted.has(d));
      const all = queued.flatMap((destination) => texts.map((json) => ({ destination, json })));
      await rows.insertQueueRows(trx, t, all, insertChunk);
      return queued;
    });
  };

  const dropQueues = async (trx: Kysely<QueueTables>, destination: string): Promise<void> => {
    await rows.deleteDestinationRows(trx, PDUS, destination);
    await rows.deleteDestinationRows(trx, EDUS, destination);
  };

  return {
    queuePdus: (destinations, pdus) => enqueue(PDUS, destinations, pdus),
    queueEdus: (destinations, edus) => enqueue(EDUS, destinations, edus.map((e) => ({ edu_type: e.edu_type, content: e.content }))),
    async pendingTransaction(destination, maxPdus, maxEdus) {
      const pduRows = await rows.selectOldestRows(db, PDUS, destination, maxPdus);
      const eduRows = await rows.selectOldestRows(db, EDUS, destination, maxEdus);
      const edus = parseObjects(eduRows).flatMap((e) =>
        typeof e.edu_type === 'string' && isJsonObject(e.content) ? [{ edu_type: e.edu_type, content: e.content }] : [],
      );
      return { pdus: parseObjects(pduRows), edus, handle: { pduIds: pduRows.map((r) => r.id), eduIds: eduRows.map((r) => r.id) } };
    },
    async deleteDelivered(destination, handle) {
      if (handle.pduIds.length === 0 && handle.eduIds.length === 0) return;
      await db.transaction().execute(async (trx) => {
        await rows.deleteRows(trx, PDUS, destination, handle.pduIds, inChunk);
        await rows.deleteRows(trx, EDUS, destination, handle.eduIds, inChunk);
      });
    },
    async destinationsWithPending() {
      const found = new Set([...(await rows.selectQueuedDestinations(db, PDUS)), ...(await rows.selectQueuedDestinations(db, EDUS))]);
      return [...found].sort();
    },
    async destinationHealth(serverName) {
      const r = await dests.selectDestination(db, serverName);
      if (!r) return undefined;
      return {
        serverName: r.server_name,
        failureCount: r.failure_count,
        failingSince: r.failing_since,
        retryAt: r.retry_at,
        blacklistedAt: r.blacklisted_at ?? undefined,
      };
    },
    async setDestinationHealth(h) {
      const row = {
        server_name: h.serverName,
        failure_count: h.failureCount,
        failing_since: h.failingSince,
        retry_at: h.retryAt,
        blacklisted_at: h.blacklistedAt ?? null,
      };
      if (h.blacklistedAt === undefined) return dests.upsertDestination(db, row);
      await db.transaction().execute(async (trx) => {
        await dests.upsertDestination(trx, row);
        await dropQueues(trx, h.serverName);
      });
    },
    clearDestinationHealth: (serverName) => dests.deleteDestination(db, serverName),
    async blacklistedDestinations() {
      return (await dests.selectBlacklisted(db)).sort();
    },
  };
}
