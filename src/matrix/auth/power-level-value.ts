/**
 * Reading one power-level value the way each room version allows it: integers everywhere; numeric
 * strings in v1–v9 (fragment "v1-stringy-power-levels"); floats, truncated, in v1–v5 where events
 * need not be canonical JSON (fragment "v1-floaty-power-levels"); integers only from v10.
 */
import type { JsonValue } from '../json.js';
import type { RoomVersion } from '../room-version.js';

/** Base-10 integer with optional sign, leading zeroes and surrounding whitespace (`" +0100 "`). */
const INTEGER_STRING = /^\s*[+-]?\d+\s*$/;

/** The value as a power level, or `undefined` when the room version does not accept it as one. */
export function powerLevelValue(v: JsonValue | undefined, rv: RoomVersion): number | undefined {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
    // v6+ events are canonical JSON, so a float can only reach here from an invalid event.
    if (!rv.strictCanonicalJson && Number.isFinite(v)) return Math.trunc(v) + 0; // `+ 0` turns -0 into 0
    return undefined;
  }
  if (typeof v === 'string' && !rv.integerOnlyPowerLevels && INTEGER_STRING.test(v)) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n + 0 : undefined;
  }
  return undefined;
}

/** Whether `v` is an integer power level in the strict v10+ sense (a JSON integer, no strings). */
export function isStrictInteger(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
