/**
 * What of an event the search covers (client-server API "Server Side Search", `room_events`):
 * `content.body` of `m.room.message`, `content.name` of `m.room.name` and, of `m.room.topic`,
 * `content.topic` with the plain-text representations of `content["m.topic"]`. Name and topic
 * count only as room state (an empty state key). An event has at most one searchable key, so the
 * key a client names picks event types.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { indexText } from './search-tokens.js';

/** The keys the spec lets a search name, and the one event type each belongs to. */
export const SEARCH_KEY_TYPES = {
  'content.body': 'm.room.message',
  'content.name': 'm.room.name',
  'content.topic': 'm.room.topic',
} as const;

/** A key of {@link SEARCH_KEY_TYPES}. */
export type SearchKey = keyof typeof SEARCH_KEY_TYPES;

/** Every searchable key, the default of a search that names none. */
export const ALL_SEARCH_KEYS = Object.keys(SEARCH_KEY_TYPES) as SearchKey[];

/** What is read of an event: a stored client event or a PDU both fit. */
export interface SearchableEvent {
  readonly type?: unknown;
  readonly state_key?: unknown;
  readonly content?: unknown;
}

/** The text search covers in `event`, as it was sent; undefined when there is none (a redacted event has none). */
export function searchableText(event: SearchableEvent): string | undefined {
  if (!isJsonObject(event.content)) return undefined;
  const content = event.content;
  switch (event.type) {
    case 'm.room.message':
      return typeof event.state_key === 'string' ? undefined : nonEmpty(content.body);
    case 'm.room.name':
      return event.state_key === '' ? nonEmpty(content.name) : undefined;
    case 'm.room.topic':
      return event.state_key === '' ? topicText(content) : undefined;
    default:
      return undefined;
  }
}

/** `topic` and the `text/plain` bodies of `m.topic` (the mimetype defaults to it) that differ from it. */
function topicText(content: JsonObject): string | undefined {
  const parts: string[] = [];
  const topic = nonEmpty(content.topic);
  if (topic !== undefined) parts.push(topic);
  const block = isJsonObject(content['m.topic']) ? content['m.topic']['m.text'] : undefined;
  for (const rep of Array.isArray(block) ? block : []) {
    if (!isJsonObject(rep) || (rep.mimetype !== undefined && rep.mimetype !== 'text/plain')) continue;
    const body = nonEmpty(rep.body);
    if (body !== undefined && !parts.includes(body)) parts.push(body);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What the index stores for `event` (`search-tokens.ts`); undefined when it has no searchable word. */
export function searchIndexText(event: SearchableEvent): string | undefined {
  const text = searchableText(event);
  const words = text === undefined ? '' : indexText(text);
  return words === '' ? undefined : words;
}
