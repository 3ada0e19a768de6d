/** Queries on `mediaapi_thumbnails`: generated thumbnails, cached by size, method and animation. */
import type { Kysely } from 'kysely';
import type { MediaapiTables, ThumbnailRow } from './mediaapi-tables.js';

export type ThumbnailMethod = 'crop' | 'scale';

/** The key of one thumbnail of one media. */
export interface ThumbnailKey {
  readonly origin: string;
  readonly mediaId: string;
  readonly width: number;
  readonly height: number;
  readonly method: ThumbnailMethod;
  readonly animated: boolean;
}

export interface StoredThumbnail extends ThumbnailKey {
  readonly contentType: string;
  readonly contentHash: string;
  readonly size: number;
}

function toStored(r: ThumbnailRow): StoredThumbnail {
  return {
    origin: r.origin,
    mediaId: r.media_id,
    width: r.width,
    height: r.height,
    method: r.method === 'crop' ? 'crop' : 'scale',
    animated: r.animated !== 0,
    contentType: r.content_type,
    contentHash: r.content_hash,
    size: Number(r.size),
  };
}

export async function selectThumbnail(db: Kysely<MediaapiTables>, k: ThumbnailKey): Promise<StoredThumbnail | undefined> {
  const row = await db
    .selectFrom('mediaapi_thumbnails')
    .selectAll()
    .where('origin', '=', k.origin)
    .where('media_id', '=', k.mediaId)
    .where('width', '=', k.width)
    .where('height', '=', k.height)
    .where('method', '=', k.method)
    .where('animated', '=', k.animated ? 1 : 0)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function selectThumbnails(db: Kysely<MediaapiTables>, origin: string, mediaId: string): Promise<StoredThumbnail[]> {
  const rows = await db
    .selectFrom('mediaapi_thumbnails')
    .selectAll()
    .where('origin', '=', origin)
    .where('media_id', '=', mediaId)
    .orderBy('width')
    .orderBy('height')
    .execute();
  return rows.map(toStored);
}

/** Stores a thumbnail; a concurrent generation of the same key keeps the first. */
export async function insertThumbnail(db: Kysely<MediaapiTables>, t: StoredThumbnail): Promise<void> {
  await db
    .insertInto('mediaapi_thumbnails')
    .values({
      origin: t.origin,
      media_id: t.mediaId,
      width: t.width,
      height: t.height,
      method: t.method,
      animated: t.animated ? 1 : 0,
      content_type: t.contentType,
      content_hash: t.contentHash,
      size: t.size,
    })
    .onConflict((oc) => oc.columns(['origin', 'media_id', 'width', 'height', 'method', 'animated']).doNothing())
    .execute();
}
