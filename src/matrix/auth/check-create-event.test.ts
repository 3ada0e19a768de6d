/** Rule 1 (`m.room.create`) in every room version. */
import type { JsonObject } from '../json.js';
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthScenario } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import { ALICE, buildCreate } from './test-events.js';

const ok = allowedBy('m.room.create/allow');
const v12 = (rv: RoomVersion): boolean => rv.privilegedCreators;
const preV12 = (rv: RoomVersion): boolean => !rv.privilegedCreators;

function create(rv: RoomVersion, content: JsonObject = {}, sender = ALICE): RoomEvent {
  return buildCreate(rv, sender, content);
}

function withoutKey(ev: RoomEvent, key: string): RoomEvent {
  const { [key]: _gone, ...content } = ev.content;
  return { ...ev, content };
}

const scenarios: AuthScenario[] = [
  { name: 'a well-formed create event is allowed', base: 'empty', build: (r) => create(r.rv), expect: ok },
  {
    name: 'prev_events → reject',
    base: 'empty',
    build: (r) => ({ ...create(r.rv), prevEvents: ['$x'] }),
    expect: deniedBy('m.room.create/prev_events'),
  },
  {
    name: "room ID on another server than the sender's → reject",
    only: (rv) => !rv.roomIdIsCreateHash,
    base: 'empty',
    build: (r) => ({ ...create(r.rv), roomId: '!room:b.example' }),
    expect: deniedBy('m.room.create/room_id_domain'),
  },
  {
    name: 'room ID without a server name → reject',
    only: (rv) => !rv.roomIdIsCreateHash,
    base: 'empty',
    build: (r) => ({ ...create(r.rv), roomId: '!opaque' }),
    expect: deniedBy('m.room.create/room_id_domain'),
  },
  {
    name: 'v12: a room_id in the create event → reject',
    only: (rv) => rv.roomIdIsCreateHash,
    base: 'empty',
    build: (r) => {
      const ev = create(r.rv);
      return { ...ev, json: { ...ev.json, room_id: ev.roomId } };
    },
    expect: deniedBy('m.room.create/room_id_present'),
  },
  {
    name: 'v12: the room ID has no server, and need not match the sender',
    only: (rv) => rv.roomIdIsCreateHash,
    base: 'empty',
    build: (r) => create(r.rv, {}, '@zed:z.example'),
    expect: ok,
  },
  {
    name: 'unknown content.room_version → reject',
    base: 'empty',
    build: (r) => create(r.rv, { room_version: '99' }),
    expect: deniedBy('m.room.create/room_version'),
  },
  {
    name: 'non-string content.room_version → reject',
    base: 'empty',
    build: (r) => create(r.rv, { room_version: 1 }),
    expect: deniedBy('m.room.create/room_version'),
  },
  {
    name: 'no content.room_version is fine',
    base: 'empty',
    build: (r) => withoutKey(create(r.rv), 'room_version'),
    expect: ok,
  },
  {
    name: 'another known room_version is fine (the rules do not tie it to the room)',
    base: 'empty',
    build: (r) => create(r.rv, { room_version: '1' }),
    expect: ok,
  },
  {
    name: 'no content.creator',
    base: 'empty',
    build: (r) => withoutKey(create(r.rv), 'creator'),
    expect: (rv) => (rv.createHasCreator ? deniedBy('m.room.create/creator_missing') : ok),
  },
  {
    name: 'v12: additional_creators with valid user IDs is fine',
    only: v12,
    base: 'empty',
    build: (r) => create(r.rv, { additional_creators: ['@bob:b.example', '@carol:c.example:8448'] }),
    expect: ok,
  },
  {
    name: 'v12: empty additional_creators is fine',
    only: v12,
    base: 'empty',
    build: (r) => create(r.rv, { additional_creators: [] }),
    expect: ok,
  },
  {
    name: 'v12: historical user IDs are accepted in additional_creators',
    only: v12,
    base: 'empty',
    build: (r) => create(r.rv, { additional_creators: ['@Old User!:b.example', '@x:[::1]:8448'] }),
    expect: ok,
  },
  ...(
    [
      ['not an array', '@bob:b.example'],
      ['a non-string entry', ['@bob:b.example', 5]],
      ['an entry without sigil', ['bob:b.example']],
      ['an entry without server', ['@bob']],
      ['an entry with a bad server name', ['@bob:b_example!']],
      ['an entry over 255 bytes', [`@${'a'.repeat(250)}:b.example`]],
      ['an object', { '@bob:b.example': true }],
    ] as const
  ).map(
    ([what, value]): AuthScenario => ({
      name: `additional_creators that is ${what}`,
      base: 'empty',
      build: (r) => create(r.rv, { additional_creators: value as never }),
      // Before v12 the field "serves no purpose and is not validated".
      expect: (rv) => (rv.privilegedCreators ? deniedBy('m.room.create/additional_creators') : ok),
    }),
  ),
  {
    name: 'v1–v11: an additional_creators list is ignored, however odd',
    only: preV12,
    base: 'empty',
    build: (r) => create(r.rv, { additional_creators: 'nonsense' }),
    expect: ok,
  },
];

runAuthScenarios('auth rule 1: m.room.create', scenarios);
