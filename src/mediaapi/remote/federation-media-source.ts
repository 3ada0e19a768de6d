/**
 * Fetches another server's media or a thumbnail of it over federation (spec v1.11 "Content
 * Repository"): first the authenticated `GET /_matrix/federation/v1/media/{download,thumbnail}/
 * {mediaId}` (signed, multipart answer), and only when the origin answers `404 M_UNRECOGNIZED` the
 * deprecated `/_matrix/media/v3/{download,thumbnail}/{origin}/{mediaId}` with `allow_remote=false`.
 * A `Location` (in the multipart answer, or a legacy redirect) is followed through the guarded
 * fetcher: the URL is the origin's choice, so every hop is checked against the network policy
 * like a URL preview. Bytes stream to the file store with the size limit applied as they arrive.
 */
import { Readable } from 'node:stream';
import type { FederationClient } from '../../federationapi/client/federation-client.js';
import { isFederationRequestError } from '../../federationapi/client/federation-request-error.js';
import type { StreamedHttpResponse } from '../../federationapi/client/send-http-request.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { headerText } from '../../internal/net/header-text.js';
import { readTextUpTo } from '../../internal/net/read-text-up-to.js';
import type { MediaFileStore } from '../files/media-file-store.js';
import type { GuardedStreamer } from '../preview/guarded-fetch.js';
import { PreviewFetchError } from '../preview/preview-fetch-error.js';
import { fileNameFromDisposition } from './parse-content-disposition.js';
import { multipartBoundary, readMultipartMedia } from './read-multipart-media.js';
import type { FetchedRemoteMedia, RemoteFetchRequest, RemoteMediaSource, RemoteThumbnailRequest } from './remote-media-source.js';

/** Time for the transfer itself, on top of the origin's wait for an async upload. */
const TRANSFER_MS = 120_000;
/** Room for the multipart framing around the media. */
const FRAMING_BYTES = 64 * 1024;
/** Largest error body read. */
const MAX_ERROR_BYTES = 64 * 1024;
/** The thumbnail endpoint's "cannot thumbnail this" (bad request, no such media, too large to render). */
const NO_THUMBNAIL_STATUSES: readonly number[] = [400, 404, 413];

export interface FederationMediaSourceDeps {
  readonly client: Pick<FederationClient, 'requestStream'>;
  /** For `Location` URLs: guarded like URL previews, with a byte cap of the largest media. */
  readonly streamer: GuardedStreamer;
  readonly files: MediaFileStore;
}

type Query = Record<string, string | number | boolean>;

/** What is asked for (the download or a thumbnail), on the authenticated and legacy endpoints. */
interface Transfer {
  readonly path: string;
  readonly legacyPath: string;
  readonly query: Query;
  /** Statuses answered as `'unavailable'` rather than as an error (the thumbnail's refusals). */
  readonly unavailable: readonly number[];
}

type Outcome = FetchedRemoteMedia | { readonly location: string } | 'fallback' | 'unavailable';

const legacyPath = (kind: string, req: RemoteFetchRequest): string => `/_matrix/media/v3/${kind}/${encodeURIComponent(req.origin)}/${encodeURIComponent(req.mediaId)}`;

function downloadTransfer(req: RemoteFetchRequest): Transfer {
  return { path: `/_matrix/federation/v1/media/download/${encodeURIComponent(req.mediaId)}`, legacyPath: legacyPath('download', req), query: {}, unavailable: [] };
}

function thumbnailTransfer(req: RemoteThumbnailRequest): Transfer {
  return {
    path: `/_matrix/federation/v1/media/thumbnail/${encodeURIComponent(req.mediaId)}`,
    legacyPath: legacyPath('thumbnail', req),
    query: { width: req.width, height: req.height, method: req.method, animated: req.animated },
    unavailable: NO_THUMBNAIL_STATUSES,
  };
}

export function createFederationMediaSource(deps: FederationMediaSourceDeps): RemoteMediaSource {
  const store = async (req: RemoteFetchRequest, body: AsyncIterable<Buffer>, headers: Readonly<Record<string, string | string[] | undefined>>): Promise<FetchedRemoteMedia> => {
    const file = await deps.files.put(Readable.from(body), req.maxBytes).catch((e: unknown) => {
      throw e instanceof MatrixError && e.errcode === 'M_TOO_LARGE' ? MatrixError.mediaTooLargeToServe(`Remote media is larger than ${req.maxBytes} bytes`) : e;
    });
    return { file, contentType: headerText(headers, 'content-type') ?? null, uploadName: fileNameFromDisposition(headerText(headers, 'content-disposition')) };
  };

  const request = (req: RemoteFetchRequest, path: string, query: Query, signed: boolean, consume: (res: StreamedHttpResponse) => Promise<Outcome>) =>
    deps.client.requestStream(
      { destination: req.origin, method: 'GET', path, query: { ...query, timeout_ms: req.waitMs }, signed, timeoutMs: req.waitMs + TRANSFER_MS, maxResponseBytes: req.maxBytes + FRAMING_BYTES },
      consume,
    );

  const authenticated = (req: RemoteFetchRequest, t: Transfer): Promise<Outcome> =>
    request(req, t.path, t.query, true, async (res) => {
      if (res.status !== 200) {
        const error = await readError(res);
        if (res.status === 404 && (error === undefined || error.errcode === 'M_UNRECOGNIZED')) return 'fallback';
        if (t.unavailable.includes(res.status)) return 'unavailable';
        throw remoteError(req.origin, res.status, error);
      }
      const boundary = multipartBoundary(headerText(res.headers, 'content-type'));
      if (boundary === undefined) throw MatrixError.badGateway(`${req.origin} answered the media request without a multipart/mixed body`);
      const media = await readMultipartMedia(res.body, boundary).catch((e: unknown) => {
        throw MatrixError.badGateway(`${req.origin} sent a malformed multipart body: ${(e as Error).message}`);
      });
      const location = media.headers.location;
      if (location !== undefined) return { location };
      return store(req, media.body, media.headers);
    });

  const legacy = (req: RemoteFetchRequest, t: Transfer): Promise<Outcome> =>
    request(req, t.legacyPath, { ...t.query, allow_remote: false, allow_redirect: true }, false, async (res) => {
      const location = headerText(res.headers, 'location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location !== undefined) return { location };
      if (res.status !== 200) {
        const error = await readError(res);
        if (t.unavailable.includes(res.status)) return 'unavailable';
        throw remoteError(req.origin, res.status, error);
      }
      return store(req, res.body, res.headers);
    });

  const follow = (req: RemoteFetchRequest, url: string): Promise<FetchedRemoteMedia> =>
    deps.streamer(url, (res) => store(req, res.body, res.headers)).catch((e: unknown) => {
      if (!(e instanceof PreviewFetchError)) throw e;
      if (e.kind === 'too_large') throw MatrixError.mediaTooLargeToServe(`Remote media is larger than ${req.maxBytes} bytes`);
      throw MatrixError.badGateway(`The media location ${req.origin} gave could not be fetched: ${e.message}`);
    });

  /** The bytes, or `'unavailable'` when the origin refused with one of `t.unavailable`. */
  const transfer = async (req: RemoteFetchRequest, t: Transfer): Promise<FetchedRemoteMedia | 'unavailable'> => {
    try {
      let outcome = await authenticated(req, t);
      if (outcome === 'fallback') outcome = await legacy(req, t);
      // The legacy endpoint has no fallback of its own: an unrecognized one there is "not found".
      if (outcome === 'fallback') throw MatrixError.notFound('Media not found');
      if (outcome === 'unavailable') return outcome;
      return 'location' in outcome ? await follow(req, outcome.location) : outcome;
    } catch (e) {
      if (!isFederationRequestError(e)) throw e;
      if (e.kind === 'too_large') throw MatrixError.mediaTooLargeToServe(`Remote media is larger than ${req.maxBytes} bytes`);
      throw MatrixError.badGateway(`Could not fetch media from ${req.origin}: ${e.message}`);
    }
  };

  return {
    async fetch(req) {
      const got = await transfer(req, downloadTransfer(req));
      if (got === 'unavailable') throw MatrixError.notFound('Media not found');
      return got;
    },
    async fetchThumbnail(req) {
      const got = await transfer(req, thumbnailTransfer(req));
      return got === 'unavailable' ? null : got;
    },
  };
}

interface RemoteErrorBody {
  readonly errcode?: unknown;
  readonly error?: unknown;
}

/** The JSON error body of a non-2xx answer, if it is one (read up to a small cap). */
async function readError(res: StreamedHttpResponse): Promise<RemoteErrorBody | undefined> {
  const text = await readTextUpTo(res.body, MAX_ERROR_BYTES);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as RemoteErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** What the client hears when the origin refused: its own "not found" and "not yet", else 502. */
function remoteError(origin: string, status: number, error: RemoteErrorBody | undefined): MatrixError {
  const errcode = typeof error?.errcode === 'string' ? error.errcode : undefined;
  if (status === 404) return MatrixError.notFound('Media not found');
  if (errcode === 'M_NOT_YET_UPLOADED' || status === 504) return MatrixError.notYetUploaded();
  if (errcode === 'M_TOO_LARGE') return MatrixError.mediaTooLargeToServe(`${origin} will not serve media this large`);
  return MatrixError.badGateway(`${origin} answered ${status}${errcode === undefined ? '' : ` ${errcode}`}`);
}
