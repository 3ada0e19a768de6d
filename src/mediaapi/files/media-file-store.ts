/**
 * Media bytes on disk, one file per sha256 (identical uploads share a file). A body is streamed
 * to a temporary file while it is hashed and counted, and renamed into place only when complete,
 * so a reader never sees a partial file and a 10 GB body never sits in memory: the size limit is
 * enforced as the bytes flow, not after.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MatrixError } from '../../internal/errors/matrix-error.js';

/** A file now stored under its hash. */
export interface StoredFile {
  /** Hex sha256 of the bytes. */
  readonly hash: string;
  readonly size: number;
}

export interface MediaFileStore {
  /** Streams `body` into the store; M_TOO_LARGE as soon as more than `maxBytes` arrive. */
  put(body: Readable, maxBytes: number): Promise<StoredFile>;
  /** Stores bytes already in memory (thumbnails). */
  putBuffer(bytes: Buffer): Promise<StoredFile>;
  /** The path of a stored file (it may have been deleted since). */
  pathOf(hash: string): string;
  /** Removes a file no row uses any more; missing files are fine. */
  remove(hash: string): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;

/** The store rooted at `root` (created if needed). */
export async function openMediaFileStore(root: string): Promise<MediaFileStore> {
  const tmp = join(root, 'tmp');
  await mkdir(tmp, { recursive: true });
  const pathOf = (hash: string): string => {
    // The hash comes from our own rows, but a path is built from it: keep it a hash.
    if (!HASH.test(hash)) throw new Error(`not a sha256: ${hash}`);
    return join(root, hash.slice(0, 2), hash.slice(2, 4), hash);
  };
  const settle = async (tempPath: string, hash: string): Promise<void> => {
    const final = pathOf(hash);
    await mkdir(join(final, '..'), { recursive: true });
    // A rename replaces an existing copy atomically, so the file surely exists afterwards even
    // if a delete of the same content raced with this upload.
    await rename(tempPath, final);
  };
  return {
    pathOf,
    async put(body, maxBytes) {
      const tempPath = join(tmp, randomBytes(12).toString('hex'));
      const hasher = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) {
            done(MatrixError.tooLarge(`Upload exceeds the limit of ${maxBytes} bytes`));
            return;
          }
          hasher.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(tempPath));
        const hash = hasher.digest('hex');
        await settle(tempPath, hash);
        return { hash, size };
      } catch (e) {
        await rm(tempPath, { force: true });
        throw e;
      }
    },
    async putBuffer(bytes) {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const final = pathOf(hash);
      const exists = await stat(final).then(
        () => true,
        () => false,
      );
      if (!exists) {
        const tempPath = join(tmp, randomBytes(12).toString('hex'));
        await writeFile(tempPath, bytes);
        await settle(tempPath, hash);
      }
      return { hash, size: bytes.length };
    },
    async remove(hash) {
      await rm(pathOf(hash), { force: true });
    },
  };
}
