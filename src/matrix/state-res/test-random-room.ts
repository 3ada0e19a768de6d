/**
 * Test helper: grows a random but valid room DAG with several branches, for property tests of
 * state resolution. Every event is authorised against its branch's state by the real auth rules
 * before that state takes it; branches fork and merge (through `resolveState`) at random.
 * Deterministic for a given seed. Not used outside tests.
 */
import { checkEventAuth } from '../auth/check-event-auth.js';
import type { JsonObject } from '../json.js';
import { stateMapKey } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import { resolveState } from './resolve-state.js';
import { createTestDag, selectAuthEvents, type TestDag, type TestEventSpec } from './test-dag.js';

const ALICE = '@alice:example.com';
const USERS = [
  ALICE,
  '@bob:example.com',
  '@carol:example.com',
  '@dan:example.com',
  '@erin:example.com',
  '@finn:example.org',
];

/** A small deterministic PRNG (mulberry32): tests must replay exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Branch {
  state: Map<string, string>;
  leaf: string;
}

/** The DAG and the state at the tip of each branch. */
export interface RandomRoom {
  /** Every event built, including those the auth rules refused (which no state holds). */
  readonly dag: TestDag;
  /** The state at each remaining branch's tip. */
  readonly branches: readonly Map<string, string>[];
}

/** Grows a room for `steps` random steps. */
export function randomRoom(rv: RoomVersion, seed: number, steps: number): RandomRoom {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  // Events are E0, E1, …; E0 is the create event, whose ID v12 room IDs derive from.
  const dag = createTestDag(rv, { createId: 'E0' });
  let n = 0;
  const branches: Branch[] = [{ state: new Map(), leaf: '' }];

  const tryAdd = (b: Branch, spec: Omit<TestEventSpec, 'id'>): void => {
    const event = dag.add({
      ...spec,
      id: `E${n++}`,
      authEvents: selectAuthEvents(rv, spec, b.state),
      prevEvents: b.leaf === '' ? [] : [b.leaf],
    });
    const lookup = (t: string, k: string): ReturnType<TestDag['getEvent']> => {
      const id = b.state.get(stateMapKey(t, k)) ?? (t === 'm.room.create' ? dag.events[0]?.eventId : undefined);
      return id === undefined ? undefined : dag.getEvent(id);
    };
    if (!checkEventAuth(event, lookup).allowed) return;
    b.leaf = event.eventId;
    if (event.stateKey !== undefined) b.state.set(stateMapKey(event.type, event.stateKey), event.eventId);
  };

  const root = branches[0] as Branch;
  const createContent: JsonObject = rv.createHasCreator ? { creator: ALICE } : {};
  tryAdd(root, { sender: ALICE, type: 'm.room.create', stateKey: '', content: createContent });
  tryAdd(root, { sender: ALICE, type: 'm.room.member', stateKey: ALICE, content: { membership: 'join' } });
  tryAdd(root, { sender: ALICE, type: 'm.room.power_levels', stateKey: '', content: levels(rv, rnd) });
  tryAdd(root, { sender: ALICE, type: 'm.room.join_rules', stateKey: '', content: { join_rule: 'public' } });

  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.12 && branches.length < 4) {
      const b = pick(branches);
      branches.push({ state: new Map(b.state), leaf: b.leaf });
    } else if (r < 0.2 && branches.length > 1) {
      const a = branches.splice(Math.floor(rnd() * branches.length), 1)[0] as Branch;
      const b = pick(branches);
      b.state = resolveState({ roomVersion: rv, stateSets: [a.state, b.state], getEvent: dag.getEvent });
    } else {
      tryAdd(pick(branches), randomEvent(rv, rnd, pick));
    }
  }
  return { dag, branches: branches.map((b) => b.state) };
}

function levels(rv: RoomVersion, rnd: () => number): JsonObject {
  const users: JsonObject = {};
  for (const u of USERS) {
    if (u === ALICE && rv.privilegedCreators) continue;
    const r = rnd();
    if (u === ALICE) users[u] = 100;
    else if (r < 0.3) users[u] = 50;
    else if (r < 0.4) users[u] = 75;
  }
  return { users, state_default: rnd() < 0.5 ? 50 : 0 };
}

function randomEvent(
  rv: RoomVersion,
  rnd: () => number,
  pick: <T>(xs: readonly T[]) => T,
): Omit<TestEventSpec, 'id'> {
  const sender = pick(USERS);
  const target = pick(USERS);
  const r = rnd();
  const member = (s: string, t: string, membership: string): Omit<TestEventSpec, 'id'> => ({
    sender: s,
    type: 'm.room.member',
    stateKey: t,
    content: { membership, displayname: `n${Math.floor(rnd() * 3)}` },
  });
  if (r < 0.3) return member(sender, sender, 'join');
  if (r < 0.4) return member(sender, sender, 'leave');
  if (r < 0.5) return member(sender, target, 'ban');
  if (r < 0.58) return member(sender, target, 'leave');
  if (r < 0.65) return member(sender, target, 'invite');
  if (r < 0.8) return { sender, type: 'm.room.topic', stateKey: '', content: { topic: `t${Math.floor(rnd() * 5)}` } };
  if (r < 0.92) return { sender, type: 'm.room.power_levels', stateKey: '', content: levels(rv, rnd) };
  return { sender, type: 'm.room.join_rules', stateKey: '', content: { join_rule: rnd() < 0.6 ? 'public' : 'invite' } };
}
