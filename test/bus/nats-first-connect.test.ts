/**
 * A process whose NATS is down when it starts must wait for it, not crash: `createNatsBus` keeps
 * trying (warning with the server list, credentials left out), resolves once a server comes up on
 * that address, and the bus then works. Runs its own nats-server, started late on a port chosen
 * beforehand.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Bus, DeliveredMessage } from '../../src/internal/bus/bus.js';
import { createNatsBus } from '../../src/internal/bus/nats/create-nats-bus.js';
import { freePort } from '../harness/free-port.js';
import { natsUnavailableReason, startNats, type NatsServer } from '../harness/nats-server.js';
import { servicesRequired, skipReason } from '../harness/services-required.js';
import { numbered, testTopic, waitFor, type TestPayload } from './bus-test-kit.js';
import { TEST_NATS_OPTIONS, uniquePrefix } from './nats-backend.js';

const why = natsUnavailableReason();
const skip = why && !servicesRequired() ? skipReason('NATS', why) : false;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly servers?: string[];
  readonly failedAttempts?: number;
}

const WARN = 40;

describe('NATS bus started before its server', { skip }, () => {
  let server: NatsServer | undefined;
  let port = 0;
  let creating: Promise<Bus> | undefined;
  after(async () => {
    // A create call still waiting keeps retrying (and the process alive) until a server answers.
    if (creating && !server) server = await startNats({ port });
    await (await creating?.catch(() => undefined))?.close();
    await server?.stop();
  });

  it('waits while no server answers, then connects and delivers', async () => {
    port = await freePort();
    const logs: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    const warnings = () => logs.filter((l) => l.level === WARN && l.msg === 'bus: NATS unreachable at start-up; retrying');
    let settled: string | undefined;
    creating = createNatsBus({ ...TEST_NATS_OPTIONS, servers: `nats://axon:s3cret@127.0.0.1:${port}`, prefix: uniquePrefix(), logger });
    creating.then(
      () => (settled = 'resolved'),
      (e: unknown) => (settled = `rejected: ${String(e)}`),
    );

    // The first failure is reported, then every fifth: attempts 2 and 7 come within about a second.
    await waitFor('two warnings', () => warnings().length >= 2, 10_000);
    assert.equal(settled, undefined, 'createNatsBus settled while no server answered');
    assert.deepEqual(
      warnings().slice(0, 2).map((w) => [w.servers, w.failedAttempts]),
      [
        [[`nats://127.0.0.1:${port}`], 1],
        [[`nats://127.0.0.1:${port}`], 6],
      ],
    );
    assert.ok(!JSON.stringify(logs).includes('s3cret'), 'the password was logged');

    server = await startNats({ port });
    const bus = await creating;
    assert.equal(settled, 'resolved');
    assert.ok(logs.some((l) => l.msg === 'bus: NATS reachable; connected'));
    assert.deepEqual(bus.problems(), []);

    const topic = testTopic('AfterWait');
    const got: DeliveredMessage<TestPayload>[] = [];
    await bus.subscribe<TestPayload>({ topic, consumer: 'late', handler: async (m) => void got.push(m) });
    await bus.publish(numbered(topic, 20, 1));
    await waitFor('20 messages', () => got.length >= 20);
    assert.deepEqual(
      got.map((m) => m.payload.n),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});
