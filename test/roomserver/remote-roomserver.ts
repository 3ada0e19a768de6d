/**
 * A second roomserver, `remote.test` (the kit's `REMOTE`), on its own database of the suite's
 * backend with its own embedded bus: the other side of backfill and federation-read tests.
 */
import { createEmbeddedBus } from '../../src/internal/bus/embedded/create-embedded-bus.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoomserverInternalAPI } from '../../src/roomserver/internal/index.js';
import { openRoomserverStorage } from '../../src/roomserver/storage/index.js';
import { createRoomserverRecords } from '../../src/roomserver/storage/roomserver-records.js';
import { REMOTE, type RoomserverEnv } from './roomserver-api-kit.js';

/** Whose keys the remote roomserver trusts: a server's public key for a key ID, or none. */
export type VerifyKeys = (server: string, keyId: string) => Promise<string | undefined>;

/** Starts it; `stop` closes its bus. */
export async function startRemoteRoomserver(env: RoomserverEnv, verifyKeys: VerifyKeys = async () => undefined): Promise<{ api: RoomserverAPI; stop(): Promise<void> }> {
  const database = await env.backend.open();
  const bus = await createEmbeddedBus({ database, pollIntervalMs: 50 });
  const outbox = await bus.outbox(database, 'roomserver');
  const storage = await openRoomserverStorage(database, { outbox });
  const api = createRoomserverInternalAPI({
    storage,
    records: createRoomserverRecords(database),
    outbox,
    serverName: REMOTE,
    signingKey: env.remoteKey,
    verifyKeys,
  });
  return { api, stop: () => bus.close() };
}
