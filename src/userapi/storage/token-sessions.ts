/**
 * The multi-table steps of a login session: issuing tokens for a device, finding an access
 * token's owner, and refresh-token rotation.
 *
 * Rotation follows the spec: using refresh token R issues A′ and R′; R (and the access token
 * issued with it) stays valid until A′ or R′ is first used, so a client that lost the answer can
 * retry; using R again before that replaces the unused A′/R′. Once A′ or R′ is used, R is gone.
 */
import type { Kysely } from 'kysely';
import type { DeviceSighting } from './devices-table.js';
import { upsertDevice } from './devices-table.js';
import {
  clearReplaces,
  deleteDeviceTokens,
  deleteRefreshTokens,
  insertAccessToken,
  insertRefreshToken,
  selectAccessToken,
  selectPredecessors,
  selectRefreshToken,
  swapNextId,
  type StoredAccessToken,
} from './tokens-table.js';
import type { UserapiTables } from './userapi-tables.js';
import { withRetriedTransaction, WriteConflict } from './with-retried-transaction.js';

/** A session to open on a device. */
export interface NewSession {
  readonly localpart: string;
  readonly deviceId: string;
  /** Used when the device is new or has no name yet. */
  readonly displayName: string | null;
  readonly seen: DeviceSighting;
  readonly accessTokenHash: string;
  readonly accessExpiresTs: number | null;
  readonly refreshTokenHash: string | null;
}

/** The tokens that replace a used refresh token. */
export interface RotatedTokens {
  readonly accessTokenHash: string;
  readonly accessExpiresTs: number | null;
  readonly refreshTokenHash: string;
  readonly now: number;
}

/** Creates or reuses the device and replaces its tokens with the new ones. */
export async function openSession(db: Kysely<UserapiTables>, s: NewSession): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await upsertDevice(trx, s.localpart, s.deviceId, s.displayName, s.seen);
    await deleteDeviceTokens(trx, s.localpart, s.deviceId);
    const refreshId = s.refreshTokenHash === null ? null : await insertRefreshToken(trx, s.refreshTokenHash, s.localpart, s.deviceId, s.seen.ts);
    await insertAccessToken(trx, {
      tokenHash: s.accessTokenHash,
      localpart: s.localpart,
      deviceId: s.deviceId,
      createdTs: s.seen.ts,
      expiresTs: s.accessExpiresTs,
      refreshTokenId: refreshId,
      replacesRefreshId: null,
    });
  });
}

/** The owner of an access token; its first use retires the refresh token it replaced. */
export async function findAccessToken(db: Kysely<UserapiTables>, tokenHash: string): Promise<StoredAccessToken | undefined> {
  const t = await selectAccessToken(db, tokenHash);
  if (t?.replacesRefreshId != null) {
    const retired = t.replacesRefreshId;
    await db.transaction().execute(async (trx) => {
      await deleteRefreshTokens(trx, [retired]);
      await clearReplaces(trx, retired);
    });
  }
  return t;
}

/** Uses a refresh token; the device it belongs to, or undefined when the token is unknown or retired. */
export async function rotateRefreshToken(
  db: Kysely<UserapiTables>,
  oldHash: string,
  next: RotatedTokens,
): Promise<{ localpart: string; deviceId: string } | undefined> {
  return withRetriedTransaction(db, async (trx) => {
    const r = await selectRefreshToken(trx, oldHash);
    if (!r) return undefined;
    // Using r proves the client has it, so whatever r replaced is now retired.
    const predecessors = await selectPredecessors(trx, r.id);
    await deleteRefreshTokens(trx, predecessors);
    for (const p of predecessors) await clearReplaces(trx, p);
    // A successor issued earlier but never used is abandoned.
    if (r.nextId !== null) await deleteRefreshTokens(trx, [r.nextId]);
    const newId = await insertRefreshToken(trx, next.refreshTokenHash, r.localpart, r.deviceId, next.now);
    await insertAccessToken(trx, {
      tokenHash: next.accessTokenHash,
      localpart: r.localpart,
      deviceId: r.deviceId,
      createdTs: next.now,
      expiresTs: next.accessExpiresTs,
      refreshTokenId: newId,
      replacesRefreshId: r.id,
    });
    // Two concurrent uses of r: only one may install its successor.
    if (!(await swapNextId(trx, r.id, r.nextId, newId))) throw new WriteConflict();
    return { localpart: r.localpart, deviceId: r.deviceId };
  });
}
