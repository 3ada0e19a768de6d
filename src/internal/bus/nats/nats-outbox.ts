/**
 * The NATS bus's transactional outbox: the shared relay outbox (`../relay-outbox.ts`) publishing
 * its rows to JetStream. Each row's ID goes out as `Nats-Msg-Id`, so a relay repeated after a
 * crash between publish and delete is stored once by the stream (within its two-minute duplicate
 * window; after that consumers still dedupe on the same `id`). The payload is already JSON text
 * and is sent without being parsed again.
 */
import type { Logger } from 'pino';
import type { Database } from '../../sqlutil/database.js';
import { createRelayOutbox, type RelayOutbox } from '../relay-outbox.js';
import { assertName } from './nats-names.js';
import type { OutgoingMessage } from './publish-messages.js';

/**
 * The outbox of producer `name` in `database`, relayed with `publish`. Resolves after relaying
 * what a previous process left (or, if NATS is unreachable, keeps retrying in the background).
 */
export function createNatsOutbox(
  database: Database,
  name: string,
  publish: (messages: readonly OutgoingMessage[]) => Promise<void>,
  logger?: Logger,
): Promise<RelayOutbox> {
  assertName('outbox', name);
  return createRelayOutbox({
    database,
    name,
    logger,
    publish: (rows) => publish(rows.map((r) => ({ topic: { name: r.topic }, key: r.msg_key, id: r.msg_id, payloadJson: r.payload }))),
  });
}
