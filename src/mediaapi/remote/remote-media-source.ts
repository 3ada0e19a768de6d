/**
 * Where remote media bytes come from: the seam between caching (`remote-media.ts`,
 * `remote-thumbnail.ts`) and the network (`federation-media-source.ts`), so tests can observe
 * or count fetches.
 */
import type { StoredFile } from '../files/media-file-store.js';
import type { ThumbnailMethod } from '../storage/index.js';

export interface RemoteFetchRequest {
  readonly origin: string;
  readonly mediaId: string;
  /** How long the origin may wait for an async upload (its `timeout_ms`). */
  readonly waitMs: number;
  /** Largest media accepted; more is refused while it streams in. */
  readonly maxBytes: number;
}

/** A thumbnail of remote media, as the origin is asked for it. */
export interface RemoteThumbnailRequest extends RemoteFetchRequest {
  readonly width: number;
  readonly height: number;
  readonly method: ThumbnailMethod;
  readonly animated: boolean;
}

/** The fetched media, already in the file store. */
export interface FetchedRemoteMedia {
  readonly file: StoredFile;
  readonly contentType: string | null;
  readonly uploadName: string | null;
}

export interface RemoteMediaSource {
  /**
   * Downloads the media into the file store.
   * @throws MatrixError M_NOT_FOUND (the origin has no such media), M_NOT_YET_UPLOADED (504),
   * M_TOO_LARGE (502) or another 502 when the origin cannot be reached or answers wrongly.
   */
  fetch(req: RemoteFetchRequest): Promise<FetchedRemoteMedia>;
  /**
   * Downloads a thumbnail the origin makes into the file store. null when the origin cannot
   * thumbnail this media (400, 404, 413, or neither endpoint recognized): the caller may then
   * make one from the whole file.
   * @throws MatrixError M_NOT_YET_UPLOADED (504), M_TOO_LARGE (502) or another 502, as `fetch`.
   */
  fetchThumbnail(req: RemoteThumbnailRequest): Promise<FetchedRemoteMedia | null>;
}
