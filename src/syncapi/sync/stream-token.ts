/**
 * The `next_batch` / `since` token of `/sync`: one position per sync stream, in the fixed order of
 * {@link STREAM_NAMES}, written `s<pdu>_<typing>_<receipt>_…` (e.g. `s12_0_0_0_0_3_0_0_0`).
 * Adding a stream is one name appended to the list (and its provider): tokens written before it
 * have fewer parts, and the missing trailing positions read as 0.
 *
 * Every position is a non-negative decimal integer without sign or leading zeros; anything else
 * (another prefix, more parts than streams, an empty or non-numeric part) is 400 M_INVALID_PARAM.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';

/** The sync streams, in token order. Append only: the order is part of every token handed out. */
export const STREAM_NAMES = [
  'pdu',
  'typing',
  'receipt',
  'invite',
  'to_device',
  'account_data',
  'device_list',
  'notification_data',
  'presence',
] as const;

/** One sync stream. */
export type StreamName = (typeof STREAM_NAMES)[number];

/** A position per stream. */
export type StreamPositions = Readonly<Record<StreamName, number>>;

/** Every stream at 0 (the start). */
export const ZERO_POSITIONS: StreamPositions = Object.freeze(Object.fromEntries(STREAM_NAMES.map((n) => [n, 0])) as Record<StreamName, number>);

const POSITION = /^(0|[1-9][0-9]{0,15})$/;

/** The token for `positions`. */
export function encodeStreamToken(positions: StreamPositions): string {
  return `s${STREAM_NAMES.map((n) => positions[n]).join('_')}`;
}

/** The positions of a token; 400 M_INVALID_PARAM when it is not one this server writes. */
export function parseStreamToken(token: string): StreamPositions {
  const parts = token.startsWith('s') ? token.slice(1).split('_') : [];
  if (parts.length === 0 || parts.length > STREAM_NAMES.length) throw invalid(token);
  const out: Record<string, number> = {};
  for (const [i, name] of STREAM_NAMES.entries()) {
    const part = parts[i];
    if (part === undefined) out[name] = 0;
    else if (POSITION.test(part) && Number.isSafeInteger(Number(part))) out[name] = Number(part);
    else throw invalid(token);
  }
  return out as StreamPositions;
}

/** Per stream, the greater of the two positions. */
export function maxPositions(a: StreamPositions, b: StreamPositions): StreamPositions {
  return Object.fromEntries(STREAM_NAMES.map((n) => [n, Math.max(a[n], b[n])])) as Record<StreamName, number>;
}

function invalid(token: string): MatrixError {
  return MatrixError.invalidParam(`Invalid sync token: ${token.length > 64 ? `${token.slice(0, 64)}…` : token}`);
}
