/**
 * The mainline ordering (state resolution v2): events sorted by where their chain of
 * `m.room.power_levels` auth events joins the mainline of the resolved power levels — earlier
 * joins first — then by `origin_server_ts`, then by event ID.
 */
import type { RoomEvent } from '../room-event.js';
import { compareCodePoints } from './compare-code-points.js';
import type { ResolutionContext } from './resolution-context.js';

interface Keyed {
  readonly event: RoomEvent;
  /** Mainline position: 0 for the resolved power levels, growing into the past; ∞ if none. */
  readonly position: number;
}

/**
 * Sorts `eventIds` by the mainline ordering based on `powerLevelsId` (none: every position is ∞).
 * Positions of power-levels events are memoised, so events sharing ancestry are walked once.
 */
export function mainlineOrder(
  ctx: ResolutionContext,
  eventIds: Iterable<string>,
  powerLevelsId: string | undefined,
): string[] {
  const positions = mainlinePositions(ctx, powerLevelsId);
  const keyed: Keyed[] = [];
  for (const id of eventIds) {
    const event = ctx.event(id);
    const parent = ctx.powerLevelsParent(event);
    keyed.push({ event, position: parent === undefined ? Infinity : positionOf(ctx, parent, positions) });
  }
  keyed.sort(compareKeyed);
  return keyed.map((k) => k.event.eventId);
}

/** The mainline: the resolved power levels (0), its power-levels auth event (1), and so on. */
function mainlinePositions(ctx: ResolutionContext, powerLevelsId: string | undefined): Map<string, number> {
  const positions = new Map<string, number>();
  let pl = powerLevelsId === undefined ? undefined : ctx.maybeEvent(powerLevelsId);
  for (let i = 0; pl !== undefined && !positions.has(pl.eventId); i++) {
    positions.set(pl.eventId, i);
    pl = ctx.powerLevelsParent(pl);
  }
  return positions;
}

/**
 * The position of the first mainline event at or above `pl` in its power-levels chain, caching
 * the answer for every power-levels event walked (∞ when the chain never meets the mainline).
 */
function positionOf(ctx: ResolutionContext, pl: RoomEvent, memo: Map<string, number>): number {
  const walked: string[] = [];
  let found = Infinity;
  const seen = new Set<string>();
  for (let e: RoomEvent | undefined = pl; e !== undefined; e = ctx.powerLevelsParent(e)) {
    const known = memo.get(e.eventId);
    if (known !== undefined) {
      found = known;
      break;
    }
    if (seen.has(e.eventId)) break; // a malformed cycle: never meets the mainline
    seen.add(e.eventId);
    walked.push(e.eventId);
  }
  for (const id of walked) memo.set(id, found);
  return found;
}

function compareKeyed(x: Keyed, y: Keyed): number {
  if (x.position !== y.position) return x.position > y.position ? -1 : 1;
  if (x.event.originServerTs !== y.event.originServerTs) {
    return x.event.originServerTs < y.event.originServerTs ? -1 : 1;
  }
  return compareCodePoints(x.event.eventId, y.event.eventId);
}
