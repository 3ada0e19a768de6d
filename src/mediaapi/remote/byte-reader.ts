/**
 * Reads a byte stream by delimiters: whole pieces of bounded size (`readUntil`), or, for a piece
 * of any size, its chunks as they arrive (`streamUntil`), holding back only the few bytes that
 * could be the start of the delimiter. What multipart parsing needs without buffering a body.
 */

/** The stream ended before the expected delimiter: the body was cut short. */
export class TruncatedStreamError extends Error {
  override readonly name = 'TruncatedStreamError';
}

export interface ByteReader {
  /**
   * The bytes before the next `delim` (which is consumed), at most `max` of them.
   * @throws TruncatedStreamError when the stream ends first; Error when more than `max` come first.
   */
  readUntil(delim: Buffer, max: number): Promise<Buffer>;
  /**
   * The bytes before the next `delim` (which is consumed), chunk by chunk.
   * @throws TruncatedStreamError when the stream ends first.
   */
  streamUntil(delim: Buffer): AsyncGenerator<Buffer>;
}

export function createByteReader(source: AsyncIterable<Buffer>): ByteReader {
  const it = source[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let ended = false;
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await it.next();
    if (next.done === true) {
      ended = true;
      return false;
    }
    buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    return true;
  };
  return {
    async readUntil(delim, max) {
      for (;;) {
        const at = buf.indexOf(delim);
        if (at >= 0) {
          if (at > max) throw new Error(`expected at most ${max} bytes before the delimiter`);
          const piece = buf.subarray(0, at);
          buf = buf.subarray(at + delim.length);
          return piece;
        }
        if (buf.length > max + delim.length) throw new Error(`expected at most ${max} bytes before the delimiter`);
        if (!(await fill())) throw new TruncatedStreamError('the stream ended before the expected delimiter');
      }
    },
    async *streamUntil(delim) {
      for (;;) {
        const at = buf.indexOf(delim);
        if (at >= 0) {
          const piece = buf.subarray(0, at);
          buf = buf.subarray(at + delim.length);
          if (piece.length > 0) yield piece;
          return;
        }
        // Everything but a possible partial delimiter at the end is part of the piece.
        const safe = buf.length - (delim.length - 1);
        if (safe > 0) {
          const piece = buf.subarray(0, safe);
          buf = buf.subarray(safe);
          yield piece;
        }
        if (!(await fill())) throw new TruncatedStreamError('the stream ended before the expected delimiter');
      }
    },
  };
}
