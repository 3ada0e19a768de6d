/**
 * Shared set-up of the roomserver API suites: a fresh database per transport with the
 * roomserver's tables, an embedded bus on it collecting `OutputRoomEvent`, this server's key and
 * a second key standing in for another server (`remote.test`), and helpers to build rooms with
 * `performSendEvents` and remote events the way another server would.
 */
import assert from 'node:assert/strict';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { Outbox } from '../../src/internal/bus/bus.js';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { authStateKeys } from '../../src/matrix/auth/auth-state-keys.js';
import { buildEvent } from '../../src/matrix/build-event.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { generateSigningKey, type SigningKey } from '../../src/matrix/signing-key.js';
import { RoomserverAPIMethods, type RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoomserverInternalAPI, type RoomserverInternalOptions } from '../../src/roomserver/internal/index.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { openRoomserverStorage, type RoomserverStorage } from '../../src/roomserver/storage/index.js';
import { createRoomserverRecords, type RoomserverRecords } from '../../src/roomserver/storage/roomserver-records.js';
import { describeApiContract } from '../harness/describe-api-contract.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

export const SERVER = 'test.local';
export const REMOTE = 'remote.test';
export const uid = (name: string, server = SERVER) => `@${name}:${server}`;

/** What a roomserver API suite gets besides the API (valid inside tests). */
export interface RoomserverEnv {
  readonly storage: RoomserverStorage;
  /** `OutputRoomEvent` messages delivered so far, in delivery order. */
  readonly published: OutputRoomEventMessage[];
  /** Resolves once `pred` holds for the messages delivered (fails after 5 s). */
  waitForPublished(pred: (msgs: readonly OutputRoomEventMessage[]) => boolean): Promise<void>;
  /** The key of `remote.test`, known to the roomserver through `verifyKeys`. */
  readonly remoteKey: SigningKey;
  readonly backend: BackendContext;
}

interface Made {
  env: RoomserverEnv;
  outbox: Outbox;
  records: RoomserverRecords;
  stop(): Promise<void>;
}

/** Runs a roomserver API suite on SQLite and PostgreSQL, each in-process and over inthttp. */
export function describeRoomserverApi(
  name: string,
  suite: (api: () => RoomserverAPI, env: () => RoomserverEnv) => void,
  /** Extra options of the roomserver under test (e.g. a stand-in federationapi). */
  extra: Pick<RoomserverInternalOptions, 'federation'> = {},
): void {
  describeEachBackend(name, (backend) => {
    let current: Made | undefined;
    describeApiContract<RoomserverAPI>(
      'roomserver',
      RoomserverAPIMethods,
      async () => {
        const made = await makeEnv(backend);
        current = made;
        const remoteKeyId = made.env.remoteKey.keyId;
        const impl = createRoomserverInternalAPI({
          storage: made.env.storage,
          records: made.records,
          outbox: made.outbox,
          serverName: SERVER,
          signingKey: LOCAL_KEY,
          verifyKeys: async (server, keyId) => (server === REMOTE && keyId === remoteKeyId ? made.env.remoteKey.publicKeyBase64 : undefined),
          ...extra,
        });
        return { impl, cleanup: () => made.stop() };
      },
      (getApi) =>
        suite(getApi, () => {
          if (!current) throw new Error('the roomserver env is only available inside tests');
          return current.env;
        }),
      { timeoutMs: 120_000 },
    );
  });
}

/** This server's key in every suite. */
export const LOCAL_KEY = generateSigningKey('local');

async function makeEnv(backend: BackendContext): Promise<Made> {
  const database = await backend.open();
  const bus = await createEmbeddedBus({ database, pollIntervalMs: 50 });
  const outbox = await bus.outbox(database, 'roomserver');
  const storage = await openRoomserverStorage(database, { outbox });
  const published: OutputRoomEventMessage[] = [];
  const sub = await bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: 'roomserver-test',
    handler: async (m) => void published.push(m.payload),
  });
  const env: RoomserverEnv = {
    storage,
    published,
    async waitForPublished(pred) {
      const deadline = Date.now() + 5000;
      while (!pred(published)) {
        if (Date.now() > deadline) throw new Error(`OutputRoomEvent: condition not met after 5 s (${published.length} messages)`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    remoteKey: generateSigningKey('remote'),
    backend,
  };
  return {
    env,
    outbox,
    records: createRoomserverRecords(database),
    async stop() {
      await sub.stop();
      await bus.close();
    },
  };
}

/** Asserts that `p` rejects with a MatrixError carrying `errcode` (and a message matching `message`). */
export async function rejectsWith(p: Promise<unknown>, errcode: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MatrixError, `expected a MatrixError, got ${String(e)}`);
    assert.equal(e.errcode, errcode);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** The usual first events of a public room, sent by `creator` through `performSendEvents`. */
export async function createRoom(
  api: RoomserverAPI,
  version: '11' | '12',
  creator: string,
  roomId = '',
  opts: { joinRule?: string; users?: Record<string, number> } = {},
): Promise<{ roomId: string; createId: string; joinId: string; powerId: string; joinRulesId: string }> {
  const [createId] = (
    await api.performSendEvents({ events: [{ roomId: version === '12' ? '' : roomId, type: 'm.room.create', stateKey: '', sender: creator, content: { room_version: version } }] })
  ).eventIds;
  const id = version === '12' ? `!${createId!.slice(1)}` : roomId;
  const users = opts.users ?? (version === '12' ? {} : { [creator]: 100 });
  const { eventIds } = await api.performSendEvents({
    events: [
      { roomId: id, type: 'm.room.member', stateKey: creator, sender: creator, content: { membership: 'join' } },
      { roomId: id, type: 'm.room.power_levels', stateKey: '', sender: creator, content: { users } },
      { roomId: id, type: 'm.room.join_rules', stateKey: '', sender: creator, content: { join_rule: opts.joinRule ?? 'public' } },
    ],
  });
  return { roomId: id, createId: createId!, joinId: eventIds[0]!, powerId: eventIds[1]!, joinRulesId: eventIds[2]! };
}

/** The fields of an event another server builds. */
export interface RemoteFields {
  readonly type: string;
  readonly stateKey?: string;
  readonly sender: string;
  readonly content: JsonObject;
  /** Default: the room's latest events. */
  readonly prevEvents?: readonly string[];
  /** Default: chosen from the room's current state. */
  readonly authEvents?: readonly string[];
  readonly redacts?: string;
}

/**
 * An event as `remote.test` would build it on the room's current state (auth events chosen
 * from the roomserver's current state), signed with `key`.
 */
export async function remoteEvent(api: RoomserverAPI, roomId: string, key: SigningKey, f: RemoteFields): Promise<RoomEvent> {
  const info = await api.queryRoomInfo({ roomId });
  const rv = roomVersion(info.roomVersion!);
  const tuples = authStateKeys({ type: f.type, stateKey: f.stateKey, sender: f.sender, content: f.content }, rv);
  const state = await api.queryState({ roomId, stateTuples: tuples });
  const byKey = new Map(state.events.map((e) => [`${e.event.type as string}|${e.event.state_key as string}`, e.eventId]));
  const prevEvents = f.prevEvents ?? info.latestEventIds;
  const prevs = await api.queryEvents({ eventIds: prevEvents });
  return buildEvent(
    {
      type: f.type,
      ...(f.stateKey !== undefined ? { state_key: f.stateKey } : {}),
      sender: f.sender,
      content: f.content,
      room_id: roomId,
      prev_events: prevEvents,
      auth_events: f.authEvents ?? tuples.flatMap(([t, k]) => byKey.get(`${t}|${k}`) ?? []),
      depth: Math.max(...prevs.events.map((e) => e.event.depth as number)) + 1,
      origin_server_ts: Date.now(),
      ...(f.redacts !== undefined ? { redacts: f.redacts } : {}),
    },
    rv,
    { serverName: REMOTE, key },
  );
}
