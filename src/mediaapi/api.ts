/**
 * The mediaapi's internal API: the admin hooks other components (the admin routes, a future
 * room-quarantine tool) call. Uploads and downloads stay on the public routes, since bytes do not
 * cross the JSON RPC.
 */

/** One media as admin tools see it. */
export interface MediaInfo {
  readonly origin: string;
  readonly mediaId: string;
  /** `mxc://origin/mediaId`. */
  readonly contentUri: string;
  readonly contentType: string | null;
  readonly uploadName: string | null;
  /** Bytes; null while an async upload is pending. */
  readonly size: number | null;
  /** The uploader, for local media. */
  readonly userId: string | null;
  readonly createdTs: number;
  readonly quarantined: boolean;
  /** false for a media ID from `/create` whose bytes have not arrived. */
  readonly uploaded: boolean;
}

export interface MediaRef {
  /** The server the media belongs to. */
  readonly origin: string;
  readonly mediaId: string;
}

export interface QueryMediaResponse {
  /** null when there is no such media. */
  readonly media: MediaInfo | null;
}

export interface PerformMediaQuarantineRequest extends MediaRef {
  /** true to quarantine (downloads answer 404), false to release. */
  readonly quarantined: boolean;
}

export interface PerformMediaQuarantineResponse {
  /** false when there is no such media. */
  readonly found: boolean;
}

export interface PerformMediaDeleteResponse {
  /** false when there was no such media. */
  readonly deleted: boolean;
}

export interface MediaAPI {
  /** The media's metadata. */
  queryMedia(req: MediaRef): Promise<QueryMediaResponse>;
  /** Quarantines or releases a media: quarantined media and its thumbnails are never served. */
  performMediaQuarantine(req: PerformMediaQuarantineRequest): Promise<PerformMediaQuarantineResponse>;
  /** Deletes a media, its thumbnails, and the files nothing else uses. */
  performMediaDelete(req: MediaRef): Promise<PerformMediaDeleteResponse>;
}

export const MediaAPIMethods = {
  queryMedia: true,
  performMediaQuarantine: true,
  performMediaDelete: true,
} as const satisfies Record<keyof MediaAPI, true>;
