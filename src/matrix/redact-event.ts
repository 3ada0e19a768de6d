/**
 * The redaction algorithm of every room version (spec rooms/v1 … v12, fragments
 * v1/v6/v9/v11-redactions and rooms/v8.md): which top-level keys survive and which `content` keys
 * survive per event type. Redaction also feeds the reference hash (event IDs) and the signed
 * form of events, so a mistake here breaks federation: the tables below are copied from the spec
 * lists one for one.
 */
import { isJsonObject, type JsonObject } from './json.js';
import type { RedactionAlgorithm, RoomVersion } from './room-version.js';

/** Top-level keys kept by the algorithms before v11. */
const TOP_LEVEL_V1: ReadonlySet<string> = new Set([
  'event_id',
  'type',
  'room_id',
  'sender',
  'state_key',
  'content',
  'hashes',
  'signatures',
  'depth',
  'prev_events',
  'prev_state',
  'auth_events',
  'origin',
  'origin_server_ts',
  'membership',
]);

/** v11 drops `origin`, `membership` and `prev_state` from the protected keys. */
const TOP_LEVEL_V11: ReadonlySet<string> = new Set(
  [...TOP_LEVEL_V1].filter((k) => k !== 'origin' && k !== 'membership' && k !== 'prev_state'),
);

/** Per event type: the `content` keys kept, or `'all'`. */
type ContentRules = Readonly<Record<string, readonly string[] | 'all'>>;

const POWER_LEVELS_V1 = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];

const CONTENT_V1: ContentRules = {
  'm.room.member': ['membership'],
  'm.room.create': ['creator'],
  'm.room.join_rules': ['join_rule'],
  'm.room.power_levels': POWER_LEVELS_V1,
  'm.room.aliases': ['aliases'],
  'm.room.history_visibility': ['history_visibility'],
};

/** v6: `m.room.aliases` loses its protected `aliases`. */
const CONTENT_V6: ContentRules = Object.fromEntries(Object.entries(CONTENT_V1).filter(([t]) => t !== 'm.room.aliases'));

/** v8: join rules keep `allow` (restricted rooms). */
const CONTENT_V8: ContentRules = { ...CONTENT_V6, 'm.room.join_rules': ['join_rule', 'allow'] };

/** v9: member events keep `join_authorised_via_users_server`. */
const CONTENT_V9: ContentRules = { ...CONTENT_V8, 'm.room.member': ['membership', 'join_authorised_via_users_server'] };

/** v11 (and v12): create keeps everything, power levels keep `invite`, redactions keep `redacts`. */
const CONTENT_V11: ContentRules = {
  ...CONTENT_V9,
  'm.room.create': 'all',
  'm.room.power_levels': [...POWER_LEVELS_V1, 'invite'],
  'm.room.redaction': ['redacts'],
};

interface RedactionRules {
  readonly topLevel: ReadonlySet<string>;
  readonly content: ContentRules;
  /** v11: member events keep `third_party_invite.signed`. */
  readonly keepThirdPartyInviteSigned: boolean;
}

const RULES: Readonly<Record<RedactionAlgorithm, RedactionRules>> = {
  v1: { topLevel: TOP_LEVEL_V1, content: CONTENT_V1, keepThirdPartyInviteSigned: false },
  v6: { topLevel: TOP_LEVEL_V1, content: CONTENT_V6, keepThirdPartyInviteSigned: false },
  v8: { topLevel: TOP_LEVEL_V1, content: CONTENT_V8, keepThirdPartyInviteSigned: false },
  v9: { topLevel: TOP_LEVEL_V1, content: CONTENT_V9, keepThirdPartyInviteSigned: false },
  v11: { topLevel: TOP_LEVEL_V11, content: CONTENT_V11, keepThirdPartyInviteSigned: true },
};

/**
 * The redacted form of a PDU for the room version: a new object holding only the protected
 * top-level keys and the protected `content` keys of its type (`content` is always present,
 * `{}` if nothing survives). `unsigned` is dropped, as the algorithm says; a server serving the
 * redacted event to clients adds back what it wants there (e.g. `redacted_because`).
 * Values are shared with the input, not copied: treat both as immutable.
 */
export function redactEvent(event: JsonObject, rv: RoomVersion): JsonObject {
  const rules = RULES[rv.redaction];
  const out: JsonObject = {};
  for (const k in event) {
    if (rules.topLevel.has(k)) out[k] = event[k] as JsonObject[string];
  }
  out.content = redactContent(event, rules);
  return out;
}

function redactContent(event: JsonObject, rules: RedactionRules): JsonObject {
  const content = event.content;
  const type = event.type;
  if (!isJsonObject(content) || typeof type !== 'string') return {};
  const keep = Object.hasOwn(rules.content, type) ? rules.content[type] : undefined;
  if (keep === 'all') return content;
  const out: JsonObject = {};
  if (keep) {
    for (const k of keep) {
      const v = content[k];
      if (v !== undefined) out[k] = v;
    }
  }
  if (rules.keepThirdPartyInviteSigned && type === 'm.room.member') {
    const tpi = content.third_party_invite;
    // Kept as an object even without `signed`, as Synapse does, so reference hashes agree.
    if (isJsonObject(tpi)) out.third_party_invite = tpi.signed === undefined ? {} : { signed: tpi.signed };
  }
  return out;
}
