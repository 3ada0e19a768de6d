/**
 * Where remote media bytes come from: the seam between caching (`remote-media.ts`) and the
 * network (`federation-media-source.ts`), so tests can observe or count fetches.
 */
import type { StoredFile } from '../files/media-file-store.js';

export interface RemoteFetchRequest {
  readonly origin: string;
  readonly mediaId: string;
  /** How long the origin may wait for an async upload (its `timeout_ms`). */
  readonly waitMs: number;
  /** Largest media accepted; more is refused while it streams in. */
  readonly maxBytes: number;
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
}
