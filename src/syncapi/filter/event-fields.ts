/**
 * The filter's `event_fields`: only the listed fields of each event are returned. Each entry is a
 * dot-separated property path (spec appendix "Dot-separated property paths"): `content.body`
 * names `body` inside `content`, `\.` is a literal dot and `\\` a literal backslash
 * (`content.m\.relates_to`), any other backslash is kept as it is.
 *
 * A path that names nothing (a missing key, or a step into a non-object) adds nothing; the
 * result keeps the nesting of what it copies. An empty list keeps every field, as Synapse does:
 * the spec only defines an absent list ("all fields"), and an event with no fields at all would
 * be of no use to any client.
 */
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { splitPropertyPath } from '../../matrix/property-path.js';

/**
 * `event` reduced to the fields `fields` names; `event` itself when `fields` is absent or empty.
 * The input is never modified; copied values are shared with it, not cloned.
 */
export function applyEventFields(event: JsonObject, fields: readonly string[] | undefined): JsonObject {
  if (fields === undefined || fields.length === 0) return event;
  const out: JsonObject = {};
  for (const field of fields) copyPath(event, out, splitPropertyPath(field));
  return out;
}

/**
 * Copies the value at `path` in `from` to the same place in `to`, creating objects on the way;
 * nothing when the path names no value.
 */
function copyPath(from: JsonObject, to: JsonObject, path: readonly string[]): void {
  const value = valueAt(from, path);
  if (value === undefined) return;
  // The value exists, so every step before it is an object in `from`.
  let src = from;
  let dst = to;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    src = src[key] as JsonObject;
    const existing = Object.hasOwn(dst, key) ? dst[key] : undefined;
    // A shorter path copied earlier (`content` before `content.body`) already holds the whole object.
    if (existing === src) return;
    const next: JsonObject = isObject(existing) ? existing : {};
    if (existing !== next) setOwn(dst, key, next);
    dst = next;
  }
  setOwn(dst, path[path.length - 1]!, value);
}

/** The value at `path`, own properties of objects only; undefined when any step is missing. */
function valueAt(root: JsonObject, path: readonly string[]): JsonValue | undefined {
  let value: JsonValue = root;
  for (const key of path) {
    if (!isObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key]!;
  }
  return value;
}

/**
 * An own data property, whatever the key: a plain assignment of `__proto__` would replace the
 * object's prototype instead of adding a field.
 */
function setOwn(o: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
