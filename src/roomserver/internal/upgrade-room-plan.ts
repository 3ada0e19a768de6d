/**
 * What a room upgrade sends, as data (client-server API, "Room upgrades", server behaviour):
 * the replacement room's create event (`predecessor`, `room_version`, the old `type` and
 * `m.federate`, v12's creators) and, once its ID is known, the events that follow it — the
 * upgrading user's join, the old room's power levels, the transferred state, the bans, invites
 * for v12's additional creators — and the old room's tombstone and restricted power levels.
 * Pure, so it is tested without a database.
 *
 * Power levels follow the spec's hint and Synapse: if the upgrading user's level in the copied
 * power levels is below what copying the state needs, the first power levels sent raise them to
 * that level and the copied ones are sent again last. In v12 rooms creators have unlimited power
 * and must not appear in `users`, so they are taken out; a creator of a v12 room upgrading to an
 * older version keeps the power they had by becoming 100 (or more, if copying needs more).
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../matrix/json.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import type { ProtoEvent } from '../api.js';
import { createEventContent } from './create-room-plan.js';

/** A state event of the old room, as the plan reads it. */
export interface OldStateEvent {
  readonly type: string;
  readonly stateKey: string;
  readonly sender: string;
  readonly content: JsonObject;
}

/** Everything the plan needs to know. */
export interface UpgradeRoomInput {
  readonly userId: string;
  readonly oldRoomId: string;
  readonly oldVersion: RoomVersion;
  readonly newVersion: RoomVersion;
  /** The old room's latest event, for `predecessor.event_id`. */
  readonly lastEventId?: string;
  /** v12+ targets: the other creators of the new room (ignored for older targets, as the spec says). */
  readonly additionalCreators?: readonly string[];
  /**
   * The old room's current state events among: its create and power levels events,
   * {@link TRANSFERRED_STATE_TYPES}, `m.space.child`, the upgrading user's member event and
   * the member events of banned users. Other events are ignored.
   */
  readonly oldState: readonly OldStateEvent[];
}

/** The replacement room, as data. */
export interface UpgradeRoomPlan {
  /** The new room's `m.room.create` content. */
  readonly createContent: JsonObject;
  /** The events after `m.room.create` in the new room `roomId`, in order. */
  events(roomId: string): ProtoEvent[];
}

/**
 * Copied to the replacement room, in the order sent: the spec's recommended list (power levels
 * go first, separately), plus the canonical alias, whose local aliases move to the new room.
 */
export const TRANSFERRED_STATE_TYPES: readonly string[] = [
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
  'm.room.name',
  'm.room.topic',
  'm.room.avatar',
  'm.room.encryption',
  'm.room.server_acl',
  'm.room.canonical_alias',
];

/** The level keys of `m.room.power_levels` and their defaults when absent (spec, m.room.power_levels). */
const LEVEL_DEFAULTS: Readonly<Record<string, number>> = {
  ban: 50,
  events_default: 0,
  invite: 0,
  kick: 50,
  redact: 50,
  state_default: 50,
  users_default: 0,
};
const LEVEL_MAPS: readonly string[] = ['users', 'events', 'notifications'];

/** Plans the upgrade. @throws MatrixError `M_BAD_JSON` for an invalid `additionalCreators`. */
export function planRoomUpgrade(input: UpgradeRoomInput): UpgradeRoomPlan {
  const { userId, newVersion } = input;
  const find = (type: string, key = ''): OldStateEvent | undefined => input.oldState.find((e) => e.type === type && e.stateKey === key);
  const oldCreate = find('m.room.create')?.content ?? {};
  const extra = newVersion.privilegedCreators ? [...(input.additionalCreators ?? [])] : [];
  const creationContent: JsonObject = {
    predecessor: { room_id: input.oldRoomId, ...(input.lastEventId !== undefined ? { event_id: input.lastEventId } : {}) },
    ...(typeof oldCreate.type === 'string' ? { type: oldCreate.type } : {}),
    ...(typeof oldCreate['m.federate'] === 'boolean' ? { 'm.federate': oldCreate['m.federate'] } : {}),
    ...(extra.length > 0 ? { additional_creators: extra } : {}),
  };
  const createContent = createEventContent({ userId, creationContent }, newVersion, []);
  const extraCreators = Array.isArray(createContent.additional_creators) ? (createContent.additional_creators as string[]) : [];
  const creators = new Set([userId, ...extraCreators]);
  const oldPower = find('m.room.power_levels');
  const power = oldPower && powerLevelsPlan(input, oldPower.content, wasCreator(input, oldCreate));
  const member = find('m.room.member', userId)?.content ?? {};
  const isSpace = oldCreate.type === 'm.space';
  const bans = input.oldState
    .filter((e) => e.type === 'm.room.member' && e.content.membership === 'ban' && !(newVersion.privilegedCreators && creators.has(e.stateKey)))
    .sort((a, b) => (a.stateKey < b.stateKey ? -1 : a.stateKey > b.stateKey ? 1 : 0));

  return {
    createContent,
    events(roomId) {
      const state = (type: string, content: JsonObject, stateKey = ''): ProtoEvent => ({ roomId, type, stateKey, sender: userId, content });
      const out: ProtoEvent[] = [state('m.room.member', joinContent(member), userId)];
      if (power) out.push(state('m.room.power_levels', power.initial));
      for (const type of TRANSFERRED_STATE_TYPES) {
        const e = find(type);
        if (e) out.push(state(type, e.content));
      }
      if (isSpace) {
        const children = input.oldState.filter((e) => e.type === 'm.space.child').sort((a, b) => (a.stateKey < b.stateKey ? -1 : 1));
        for (const c of children) out.push(state(c.type, c.content, c.stateKey));
      }
      for (const b of bans) {
        const reason = b.content.reason;
        out.push(state('m.room.member', { membership: 'ban', ...(typeof reason === 'string' ? { reason } : {}) }, b.stateKey));
      }
      // v12 creators have every power but still need an invite to join an invite-only room.
      for (const c of creators) if (c !== userId) out.push(state('m.room.member', { membership: 'invite' }, c));
      if (power?.final) out.push(state('m.room.power_levels', power.final));
      return out;
    },
  };
}

/** The old room's tombstone. */
export function tombstoneContent(replacementRoom: string): JsonObject {
  return { body: 'This room has been replaced', replacement_room: replacementRoom };
}

/**
 * The old room's power levels with `events_default` and `invite` raised to the greater of 50 and
 * `users_default + 1`, so ordinary members can no longer talk or invite (spec step 6); null when
 * they already are that high.
 */
export function restrictedPowerLevels(content: JsonObject): JsonObject | null {
  const level = Math.max(50, levelOf(content.users_default, 'users_default') + 1);
  const out: Record<string, JsonValue> = { ...content };
  let changed = false;
  for (const key of ['events_default', 'invite']) {
    if (levelOf(content[key], key) < level) {
      out[key] = level;
      changed = true;
    }
  }
  return changed ? out : null;
}

/** The power levels sent first and, when the upgrader had to be raised, the copy sent last. */
function powerLevelsPlan(input: UpgradeRoomInput, oldContent: JsonObject, upgraderWasCreator: boolean): { initial: JsonObject; final: JsonObject | null } {
  const { userId, newVersion } = input;
  const content = integerLevels(oldContent);
  const users: Record<string, JsonValue> = { ...(isJsonObject(content.users) ? content.users : {}) };
  const needed = neededLevel(content);
  if (newVersion.privilegedCreators) {
    delete users[userId];
    for (const u of input.additionalCreators ?? []) delete users[u];
    return { initial: { ...content, users }, final: null };
  }
  if (input.oldVersion.privilegedCreators && upgraderWasCreator) {
    users[userId] = Math.max(100, needed, levelOf(users[userId], 'users_default'));
  }
  const base: JsonObject = { ...content, users };
  const current = typeof users[userId] === 'number' ? users[userId] : levelOf(content.users_default, 'users_default');
  if (current >= needed) return { initial: base, final: null };
  return { initial: { ...base, users: { ...users, [userId]: needed } }, final: base };
}

/** The level needed to send every copied event (Synapse's rule: state default, ban, every event level). */
function neededLevel(content: JsonObject): number {
  const events = isJsonObject(content.events) ? Object.values(content.events).filter((v): v is number => typeof v === 'number') : [];
  return Math.max(levelOf(content.state_default, 'state_default'), levelOf(content.ban, 'ban'), ...events);
}

/** Whether the upgrading user is a creator of the old room (v12: the sender or an additional creator). */
function wasCreator(input: UpgradeRoomInput, oldCreate: JsonObject): boolean {
  const sender = input.oldState.find((e) => e.type === 'm.room.create')?.sender;
  const extra = Array.isArray(oldCreate.additional_creators) ? oldCreate.additional_creators : [];
  return sender === input.userId || extra.includes(input.userId);
}

/** A level as a number: numeric strings (allowed before v10) parsed, floats truncated, else the default. */
function levelOf(v: JsonValue | undefined, key: string): number {
  const n = toInteger(v);
  return typeof n === 'number' ? n : (LEVEL_DEFAULTS[key] ?? 0);
}

/** `v` as an integer when it is a number or a numeric string; unchanged otherwise. */
function toInteger(v: JsonValue | undefined): JsonValue | undefined {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^[+-]?\d{1,15}$/.test(v.trim())) return Number.parseInt(v.trim(), 10);
  return v;
}

/**
 * Power levels with every level an integer: rooms before v10 accept numeric strings, which
 * v10+ rooms refuse, and floats are refused from v6.
 */
function integerLevels(content: JsonObject): JsonObject {
  const out: Record<string, JsonValue> = { ...content };
  for (const key of Object.keys(LEVEL_DEFAULTS)) {
    const v = toInteger(content[key]);
    if (v !== undefined) out[key] = v;
  }
  for (const key of LEVEL_MAPS) {
    const map = content[key];
    if (!isJsonObject(map)) continue;
    out[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toInteger(v) ?? v]));
  }
  return out;
}

/** The upgrading user's join: their display name and avatar as they were in the old room. */
function joinContent(oldMember: JsonObject): JsonObject {
  return {
    membership: 'join',
    ...(typeof oldMember.displayname === 'string' ? { displayname: oldMember.displayname } : {}),
    ...(typeof oldMember.avatar_url === 'string' ? { avatar_url: oldMember.avatar_url } : {}),
  };
}
