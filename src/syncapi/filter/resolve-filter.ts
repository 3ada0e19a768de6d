/**
 * The `filter` query parameter of `/sync` and `/messages`, turned into a normalised filter.
 * For `/sync` it is either inline JSON (it starts with `{`, which is why filter IDs never do) or
 * the ID of a filter the user uploaded; `/messages` and `/context` take inline JSON only (spec:
 * "A JSON RoomEventFilter"). Errors follow Synapse: JSON that does not parse is 400 `M_NOT_JSON`,
 * an unknown filter ID 400 `M_INVALID_PARAM`, a filter that breaks the schema what
 * `parse-filter.ts` says.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { RoomEventFilter, SyncFilter } from './filter-types.js';
import { parseRoomEventFilter, parseSyncFilter, type FilterLimits } from './parse-filter.js';

/** Looks up one of the requesting user's stored filters by ID; null when they have none by that ID. */
export type StoredFilterLookup = (filterId: string) => Promise<Readonly<Record<string, unknown>> | null>;

/**
 * The `/sync` filter the parameter names: the default (everything, default limits) when absent
 * or empty, the inline JSON when it starts with `{`, else the stored filter `lookup` finds.
 *
 * @throws MatrixError `M_NOT_JSON`, `M_INVALID_PARAM` (unknown ID or bad field), `M_BAD_JSON`.
 */
export async function resolveSyncFilter(param: string | undefined, lookup: StoredFilterLookup, limits: FilterLimits = {}): Promise<SyncFilter> {
  if (param === undefined || param === '') return parseSyncFilter({}, limits);
  if (param.startsWith('{')) return parseSyncFilter(parseInline(param), limits);
  const stored = await lookup(param);
  if (stored === null) throw MatrixError.invalidParam(`No such filter: ${param}`);
  return parseSyncFilter(stored, limits);
}

/**
 * The `RoomEventFilter` of `/messages` or `/context`: everything when absent or empty, else the
 * inline JSON.
 *
 * @throws MatrixError `M_NOT_JSON`, or what `parseRoomEventFilter` throws.
 */
export function resolveRoomEventFilter(param: string | undefined): RoomEventFilter {
  if (param === undefined || param === '') return parseRoomEventFilter({});
  return parseRoomEventFilter(parseInline(param));
}

function parseInline(param: string): unknown {
  try {
    return JSON.parse(param) as unknown;
  } catch {
    throw MatrixError.notJson('The filter is not valid JSON');
  }
}
