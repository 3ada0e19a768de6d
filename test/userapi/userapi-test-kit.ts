/**
 * Shared set-up of the userapi suites: a fresh database on one backend with the userapi's
 * tables, an embedded bus on the same database (so account-data writes have a real outbox), and a
 * collector of the `OutputAccountData` messages that reach a consumer.
 */
import assert from 'node:assert/strict';
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { Bus, Outbox } from '../../src/internal/bus/bus.js';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { UserAPIMethods, type UserAPI } from '../../src/userapi/api.js';
import { createUserInternalAPI } from '../../src/userapi/internal/index.js';
import { OutputAccountData, type OutputAccountDataMessage } from '../../src/userapi/producers/output-account-data.js';
import { openUserStorage, type UserStorage } from '../../src/userapi/storage/index.js';
import { describeApiContract } from '../harness/describe-api-contract.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

export interface UserapiTestKit {
  readonly database: Database;
  readonly bus: Bus;
  readonly outbox: Outbox;
  readonly storage: UserStorage;
  /** `OutputAccountData` messages delivered so far, in delivery order. */
  readonly published: OutputAccountDataMessage[];
  /** Resolves once at least `n` messages have been delivered (fails after 5 s). */
  waitForPublished(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens the userapi's storage with a bus on `database` and a consumer collecting its messages. */
export async function openUserapiTestKit(database: Database): Promise<UserapiTestKit> {
  const bus = await createEmbeddedBus({ database, pollIntervalMs: 50 });
  const outbox = await bus.outbox(database, 'userapi');
  const storage = await openUserStorage(database, { outbox, serverName: TEST_SERVER_NAME });
  const published: OutputAccountDataMessage[] = [];
  const sub = await bus.subscribe<OutputAccountDataMessage>({
    topic: OutputAccountData,
    consumer: 'userapi-test',
    handler: async (m) => void published.push(m.payload),
  });
  return {
    database,
    bus,
    outbox,
    storage,
    published,
    async waitForPublished(n) {
      const deadline = Date.now() + 5000;
      while (published.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} OutputAccountData messages, got ${published.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await sub.stop();
      await bus.close();
    },
  };
}

/** A clock the tests move by hand. */
export interface TestClock {
  now: number;
}

/** What a userapi API suite gets besides the API. */
export interface UserApiEnv {
  readonly clock: TestClock;
  /** The storage and bus behind the API under test (valid inside tests). */
  kit(): UserapiTestKit;
}

export const TEST_SERVER_NAME = 'test.local';
/** Lifetime of refreshable access tokens in the API suites. */
export const TEST_ACCESS_LIFETIME_MS = 60_000;

/**
 * Runs a userapi API suite on SQLite and PostgreSQL, each in-process and over inthttp, against
 * a fresh database per transport and a hand-moved clock (starting at {@link T0}).
 */
export function describeUserApi(name: string, suite: (getApi: () => UserAPI, env: UserApiEnv) => void): void {
  describeEachBackend(name, (backend) => {
    const clock: TestClock = { now: T0 };
    let current: UserapiTestKit | undefined;
    const env: UserApiEnv = {
      clock,
      kit: () => {
        if (!current) throw new Error('the userapi test kit is only available inside tests');
        return current;
      },
    };
    describeApiContract<UserAPI>(
      'userapi',
      UserAPIMethods,
      async () => {
        clock.now = T0;
        const kit = await openUserapiTestKit(await backend.open());
        current = kit;
        const impl = createUserInternalAPI({
          storage: kit.storage,
          serverName: TEST_SERVER_NAME,
          outbox: kit.outbox,
          now: () => clock.now,
          refreshableAccessTokenLifetimeMs: TEST_ACCESS_LIFETIME_MS,
        });
        return { impl, cleanup: () => kit.close() };
      },
      (getApi) => suite(getApi, env),
    );
  });
}

/** The start of the test clock. */
export const T0 = 1_700_000_000_000;

/** Asserts that `p` rejects with a MatrixError carrying `errcode`. */
export async function rejectsWith(p: Promise<unknown>, errcode: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof MatrixError, `expected a MatrixError, got ${String(e)}`);
    assert.equal(e.errcode, errcode);
    return true;
  });
}
