/**
 * What `POST /createRoom` sends, as data: the create event's content and, once the room ID is
 * known, the other events in the spec's order (create_room.yaml): creator's join, power levels,
 * canonical alias, preset events, `initial_state`, name and topic, invites. Pure, so the order
 * and the preset table are tested without a database.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isValidUserId } from '../../matrix/ids/user-id.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { stateMapKey } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { PerformCreateRoomRequest, ProtoEvent, RoomPreset } from '../api.js';

/** The create event's content and a builder of the events that follow it. */
export interface CreateRoomPlan {
  readonly preset: RoomPreset;
  readonly createContent: JsonObject;
  /** The events after `m.room.create`, in order, for the room `roomId`. */
  events(roomId: string): ProtoEvent[];
}

interface PresetState {
  readonly joinRule: string;
  readonly historyVisibility: string;
  readonly guestAccess: string;
  /** Invitees get the creator's power (v1–v11) or become additional creators (v12). */
  readonly inviteesArePowerful: boolean;
  /** Who may invite: everyone in private chats, moderators in public rooms (Synapse's defaults). */
  readonly inviteLevel: number;
}

const PRESETS: Readonly<Record<RoomPreset, PresetState>> = {
  private_chat: { joinRule: 'invite', historyVisibility: 'shared', guestAccess: 'can_join', inviteesArePowerful: false, inviteLevel: 0 },
  trusted_private_chat: { joinRule: 'invite', historyVisibility: 'shared', guestAccess: 'can_join', inviteesArePowerful: true, inviteLevel: 0 },
  public_chat: { joinRule: 'public', historyVisibility: 'shared', guestAccess: 'forbidden', inviteesArePowerful: false, inviteLevel: 50 },
};

/**
 * Plans the room.
 * @param alias The full alias from `room_alias_name`, or null.
 * @throws MatrixError `M_INVALID_PARAM` / `M_BAD_JSON` / `M_INVALID_ROOM_STATE` for a request the
 *   room could never satisfy, before anything is sent.
 */
export function planCreateRoom(req: PerformCreateRoomRequest, rv: RoomVersion, alias: string | null): CreateRoomPlan {
  const preset = req.preset ?? (req.visibility === 'public' ? 'public_chat' : 'private_chat');
  const p = PRESETS[preset];
  const creator = req.userId;
  const invitees = [...new Set(req.invite ?? [])];
  for (const u of invitees) if (!isValidUserId(u)) throw MatrixError.invalidParam(`${u} is not a valid user ID`);
  const initial = req.initialState ?? [];
  if (initial.some((e) => e.type === 'm.room.create')) throw MatrixError.invalidParam('initial_state cannot contain m.room.create');

  const createContent = createEventContent(req, rv, p.inviteesArePowerful ? invitees : []);
  const extra = createContent.additional_creators;
  const creators = new Set([creator, ...(rv.privilegedCreators && Array.isArray(extra) ? (extra as string[]) : [])]);
  const power = powerLevelsContent(req, rv, p, invitees, creators);

  // initial_state beats the preset, name and topic beat initial_state: keep the last word only.
  const overridden = new Set(initial.map((e) => stateMapKey(e.type, e.stateKey ?? '')));
  if (req.name !== undefined) overridden.add(stateMapKey('m.room.name', ''));
  if (req.topic !== undefined) overridden.add(stateMapKey('m.room.topic', ''));
  const replacedByParam = (e: { type: string; stateKey?: string }): boolean =>
    (e.stateKey ?? '') === '' && ((req.name !== undefined && e.type === 'm.room.name') || (req.topic !== undefined && e.type === 'm.room.topic'));
  const initialKept = initial.filter((e) => !replacedByParam(e));

  return {
    preset,
    createContent,
    events(roomId) {
      const state = (type: string, content: JsonObject, stateKey = ''): ProtoEvent => ({ roomId, type, stateKey, sender: creator, content });
      const out: ProtoEvent[] = [state('m.room.member', memberContent(req), creator)];
      if (!overridden.has(stateMapKey('m.room.power_levels', ''))) out.push(state('m.room.power_levels', power));
      if (alias !== null) out.push(state('m.room.canonical_alias', { alias }));
      const presetEvents: [string, JsonObject][] = [
        ['m.room.join_rules', { join_rule: p.joinRule }],
        ['m.room.history_visibility', { history_visibility: p.historyVisibility }],
        ['m.room.guest_access', { guest_access: p.guestAccess }],
      ];
      for (const [type, content] of presetEvents) if (!overridden.has(stateMapKey(type, ''))) out.push(state(type, content));
      for (const e of initialKept) out.push(state(e.type, e.content, e.stateKey ?? ''));
      if (req.name !== undefined) out.push(state('m.room.name', { name: req.name }));
      if (req.topic !== undefined) out.push(state('m.room.topic', topicContent(req.topic)));
      for (const u of invitees) out.push(state('m.room.member', { membership: 'invite', ...(req.isDirect === true ? { is_direct: true } : {}) }, u));
      return out;
    },
  };
}

/**
 * `creation_content` with the keys the server owns overwritten (and v12's extra creators):
 * `room_version`, `creator` (v1–v10), `additional_creators` (v12, validated, without the sender).
 * Room upgrades build their create event with it too.
 * @throws MatrixError `M_BAD_JSON` for an `additional_creators` that is not a list of user IDs.
 */
export function createEventContent(
  req: Pick<PerformCreateRoomRequest, 'userId' | 'creationContent'>,
  rv: RoomVersion,
  extraCreators: readonly string[],
): JsonObject {
  const content: Record<string, JsonObject[string]> = { ...(req.creationContent ?? {}), room_version: rv.id };
  if (rv.createHasCreator) content.creator = req.userId;
  else delete content.creator;
  if (rv.privilegedCreators) {
    const given = content.additional_creators ?? [];
    if (!Array.isArray(given) || !given.every((u) => typeof u === 'string' && isValidUserId(u))) {
      throw MatrixError.badJson('creation_content.additional_creators must be a list of user IDs');
    }
    const all = [...new Set([...(given as string[]), ...extraCreators])].filter((u) => u !== req.userId);
    if (all.length > 0) content.additional_creators = all;
    else delete content.additional_creators;
  }
  return content;
}

/**
 * The default power levels (Synapse's, which clients expect) with `power_level_content_override`
 * applied on top, key by key. In v12 creators have infinite power and are never listed.
 */
function powerLevelsContent(
  req: PerformCreateRoomRequest,
  rv: RoomVersion,
  p: PresetState,
  invitees: readonly string[],
  creators: ReadonlySet<string>,
): JsonObject {
  const users: Record<string, number> = {};
  if (!rv.privilegedCreators) {
    users[req.userId] = 100;
    if (p.inviteesArePowerful) for (const u of invitees) users[u] = 100;
  }
  const content: JsonObject = {
    users,
    users_default: 0,
    events: {
      'm.room.name': 50,
      'm.room.power_levels': 100,
      'm.room.history_visibility': 100,
      'm.room.canonical_alias': 50,
      'm.room.avatar': 50,
      // v12: above state_default, so that only creators can upgrade (create_room.yaml step 3).
      'm.room.tombstone': rv.privilegedCreators ? 150 : 100,
      'm.room.server_acl': 100,
      'm.room.encryption': 100,
    },
    events_default: 0,
    state_default: 50,
    ban: 50,
    kick: 50,
    redact: 50,
    invite: p.inviteLevel,
    historical: 100,
    notifications: { room: 50 },
    ...(req.powerLevelContentOverride ?? {}),
  };
  if (rv.privilegedCreators && isJsonObject(content.users)) {
    const listed = Object.keys(content.users).filter((u) => creators.has(u));
    if (listed.length > 0) throw MatrixError.invalidRoomState(`Room creators cannot be given a power level in room version ${rv.id}: ${listed.join(', ')}`);
  }
  return content;
}

function memberContent(req: PerformCreateRoomRequest): JsonObject {
  return {
    membership: 'join',
    ...(req.displayName !== undefined ? { displayname: req.displayName } : {}),
    ...(req.avatarUrl !== undefined ? { avatar_url: req.avatarUrl } : {}),
  };
}

/** A plain-text topic, with its `m.topic` block (spec v1.15). */
function topicContent(topic: string): JsonObject {
  return { topic, 'm.topic': { 'm.text': [{ body: topic, mimetype: 'text/plain' }] } };
}
