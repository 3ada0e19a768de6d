/**
 * The relationship an event declares in `content["m.relates_to"]` (spec, "Forming relationships
 * between events"): a `rel_type` and the parent's `event_id`. Replies (`m.in_reply_to` without a
 * `rel_type`) are not relations the server aggregates or lists, so they are left out.
 *
 * Relationships that break the schema are ignored, as the spec says. An `m.replace` is kept only
 * when it can be a valid edit on its own terms (no state key; `m.new_content` present, unless the
 * event is encrypted and so carries it inside the ciphertext): an invalid edit must never be
 * aggregated, and nothing else needs it. The checks against the original (same sender, same type,
 * not itself an edit, not redacted) need the parent and are made when aggregating.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';

/** A child event's pointer to its parent. */
export interface EventRelation {
  readonly relType: string;
  /** The parent's event ID. */
  readonly parentId: string;
}

/** Longest `rel_type` stored: namespaced identifiers are at most 255 characters. */
const MAX_REL_TYPE = 255;

/**
 * The relation `event` (a PDU or its client form) declares, or undefined when it declares none or
 * an invalid one. `eventId` is the event's own ID (an event cannot relate to itself).
 */
export function relationOf(eventId: string, event: JsonObject): EventRelation | undefined {
  const content = event.content;
  if (!isJsonObject(content)) return undefined;
  const rel = content['m.relates_to'];
  if (!isJsonObject(rel)) return undefined;
  const { rel_type: relType, event_id: parentId } = rel;
  if (typeof relType !== 'string' || relType.length === 0 || relType.length > MAX_REL_TYPE) return undefined;
  if (typeof parentId !== 'string' || !parentId.startsWith('$') || parentId === eventId) return undefined;
  if (relType === 'm.replace' && !canBeEdit(event, content)) return undefined;
  return { relType, parentId };
}

function canBeEdit(event: JsonObject, content: JsonObject): boolean {
  if (event.state_key !== undefined) return false;
  return event.type === 'm.room.encrypted' || isJsonObject(content['m.new_content']);
}
