/**
 * The NATS JetStream entry of the bus conformance suite. Every namespace is a fresh stream
 * prefix on one server (the test runner's AXON_TEST_NATS_URL, or one started for this process),
 * so suites running side by side never see each other's streams; cleanup deletes them. Producer
 * databases (for the outbox) are temp SQLite files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Bus } from '../../src/internal/bus/bus.js';
import { createNatsBus, type NatsBusOptions } from '../../src/internal/bus/nats/create-nats-bus.js';
import { natsUnavailableReason, startNats, type NatsServer } from '../harness/nats-server.js';
import type { BusBackend } from './bus-backends.js';

let started: Promise<NatsServer> | undefined;

/** The URL of the NATS server tests use (started once per process when the runner gave none). */
export async function testNatsUrl(): Promise<string> {
  const url = process.env.AXON_TEST_NATS_URL;
  if (url) return url;
  started ??= startNats();
  return (await started).url;
}

let namespaces = 0;

/** A stream prefix no other namespace, process or earlier run uses. */
export function uniquePrefix(): string {
  return `t${process.pid.toString(36)}${Date.now().toString(36)}${(namespaces++).toString(36)}`;
}

/** Deletes every stream under `prefix`. */
export async function deleteStreams(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const name of jsm.streams.names(`${prefix}.>`)) names.push(name);
    await Promise.all(names.map((n) => jsm.streams.delete(n)));
  } finally {
    await nc.close();
  }
}

/** Short retry delays keep redelivery tests quick; everything else is the production default. */
export const TEST_NATS_OPTIONS: Partial<NatsBusOptions> = { retry: { initialMs: 50, maxMs: 1000 } };

interface Handle {
  readonly url: string;
  readonly prefix: string;
}

function openNats(h: Handle): Promise<Bus> {
  return createNatsBus({ ...TEST_NATS_OPTIONS, servers: h.url, prefix: h.prefix });
}

export const NATS_BACKEND: BusBackend = {
  name: 'nats',
  service: 'NATS',
  unavailable: natsUnavailableReason,
  async namespace() {
    const handle: Handle = { url: await testNatsUrl(), prefix: uniquePrefix() };
    const dir = mkdtempSync(join(tmpdir(), 'axon-bus-nats-'));
    const opened: Bus[] = [];
    let producers = 0;
    return {
      async open() {
        const bus = await openNats(handle);
        opened.push(bus);
        return bus;
      },
      handle: JSON.stringify(handle),
      freshProducerDatabase: async () => `sqlite:${join(dir, `producer-${producers++}.db`)}`,
      async cleanup() {
        await Promise.all(opened.map((b) => b.close().catch(() => undefined)));
        await deleteStreams(handle.url, handle.prefix);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  connect: (handle) => openNats(JSON.parse(handle) as Handle),
};
