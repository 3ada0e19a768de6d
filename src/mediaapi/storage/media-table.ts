/** Queries on `mediaapi_media`: one row per media ID, local uploads and (later) cached remote media. */
import type { Kysely } from 'kysely';
import type { MediaapiTables, MediaRow } from './mediaapi-tables.js';

/** A media row as the rest of the component sees it. */
export interface StoredMedia {
  readonly origin: string;
  readonly mediaId: string;
  /** Hex sha256 of the bytes; null while an async upload is pending. */
  readonly contentHash: string | null;
  readonly contentType: string | null;
  readonly uploadName: string | null;
  readonly size: number | null;
  readonly userId: string | null;
  readonly createdTs: number;
  /** Deadline of a pending async upload; null once uploaded. */
  readonly unusedExpiresTs: number | null;
  readonly quarantined: boolean;
}

/** The bytes' description once they are stored. */
export interface MediaContent {
  readonly contentHash: string;
  readonly contentType: string;
  readonly uploadName: string | null;
  readonly size: number;
}

/** What completing an async upload found. */
export type CompleteUploadOutcome = 'completed' | 'not-found' | 'forbidden' | 'already-uploaded';

function toStored(r: MediaRow): StoredMedia {
  return {
    origin: r.origin,
    mediaId: r.media_id,
    contentHash: r.content_hash,
    contentType: r.content_type,
    uploadName: r.upload_name,
    size: r.size === null ? null : Number(r.size),
    userId: r.user_id,
    createdTs: Number(r.created_ts),
    unusedExpiresTs: r.unused_expires_ts === null ? null : Number(r.unused_expires_ts),
    quarantined: r.quarantined !== 0,
  };
}

export async function insertMedia(db: Kysely<MediaapiTables>, m: StoredMedia): Promise<void> {
  await db
    .insertInto('mediaapi_media')
    .values({
      origin: m.origin,
      media_id: m.mediaId,
      content_hash: m.contentHash,
      content_type: m.contentType,
      upload_name: m.uploadName,
      size: m.size,
      user_id: m.userId,
      created_ts: m.createdTs,
      unused_expires_ts: m.unusedExpiresTs,
      quarantined: m.quarantined ? 1 : 0,
    })
    .execute();
}

export async function selectMedia(db: Kysely<MediaapiTables>, origin: string, mediaId: string): Promise<StoredMedia | undefined> {
  const row = await db.selectFrom('mediaapi_media').selectAll().where('origin', '=', origin).where('media_id', '=', mediaId).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** Pending async uploads of `userId` still open at `now`. */
export async function countPendingUploads(db: Kysely<MediaapiTables>, userId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('mediaapi_media')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('content_hash', 'is', null)
    .where('unused_expires_ts', '>', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Fills a pending row with its content. The update is conditional on the row still being
 * pending, so two racing PUTs cannot both win.
 */
export async function completeUpload(
  db: Kysely<MediaapiTables>,
  origin: string,
  mediaId: string,
  userId: string,
  content: MediaContent,
  now: number,
): Promise<CompleteUploadOutcome> {
  const row = await selectMedia(db, origin, mediaId);
  if (!row) return 'not-found';
  if (row.userId !== userId) return 'forbidden';
  if (row.contentHash !== null) return 'already-uploaded';
  if (row.unusedExpiresTs !== null && row.unusedExpiresTs <= now) return 'not-found';
  const res = await db
    .updateTable('mediaapi_media')
    .set({ content_hash: content.contentHash, content_type: content.contentType, upload_name: content.uploadName, size: content.size, unused_expires_ts: null })
    .where('origin', '=', origin)
    .where('media_id', '=', mediaId)
    .where('content_hash', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1 ? 'completed' : 'already-uploaded';
}

/**
 * Fills the placeholder row of remote media known so far only by the thumbnails its origin sent
 * (no uploader, no bytes) once the whole file has been fetched. Conditional on the row still
 * being empty, so a concurrent fill by another instance keeps the first.
 */
export async function completeRemoteMedia(db: Kysely<MediaapiTables>, origin: string, mediaId: string, content: MediaContent): Promise<boolean> {
  const res = await db
    .updateTable('mediaapi_media')
    .set({ content_hash: content.contentHash, content_type: content.contentType, upload_name: content.uploadName, size: content.size })
    .where('origin', '=', origin)
    .where('media_id', '=', mediaId)
    .where('content_hash', 'is', null)
    .where('user_id', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function updateQuarantined(db: Kysely<MediaapiTables>, origin: string, mediaId: string, quarantined: boolean): Promise<boolean> {
  const res = await db
    .updateTable('mediaapi_media')
    .set({ quarantined: quarantined ? 1 : 0 })
    .where('origin', '=', origin)
    .where('media_id', '=', mediaId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Drops pending rows whose upload never came; how many. */
export async function deleteExpiredPending(db: Kysely<MediaapiTables>, now: number): Promise<number> {
  const res = await db
    .deleteFrom('mediaapi_media')
    .where('content_hash', 'is', null)
    .where('unused_expires_ts', '<=', now)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
