/**
 * A component written once behaves the same in a monolith and split over two processes: the
 * demo front calls the demo back in-process, then across processes over inthttp and NATS.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateConfig } from '../../src/internal/config/generate-config.js';
import { freePort } from '../harness/free-port.js';
import { natsUnavailableReason, startNats, type NatsServer } from '../harness/nats-server.js';
import { servicesRequired, skipReason } from '../harness/services-required.js';
import { REPO_ROOT, type AxonProcess } from '../harness/spawn-axon.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/run-demo-process.ts', import.meta.url));
const TSX = join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs');

function startDemo(config: string, components?: string): Promise<AxonProcess> {
  const child = spawn(process.execPath, ['--import', TSX, FIXTURE, config, ...(components ? [components] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      const rec = JSON.parse(line) as { client: string; internal: string };
      resolve({
        child,
        clientUrl: rec.client,
        internalUrl: rec.internal,
        output: () => out,
        stop: () => new Promise((res) => (child.exitCode !== null ? res(child.exitCode) : (child.once('exit', res), child.kill('SIGTERM')))),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`demo process exited with ${code}:\n${out}`)));
  });
}

async function writeConfig(dir: string, name: string, extra: Record<string, unknown>): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    generateConfig({
      server_name: 'demo.test',
      signing_key_path: join(dir, 'signing.key'),
      'database.connection_string': `sqlite:${join(dir, `${name}.db`)}`,
      'listen.client.port': await freePort(),
      'listen.internal.port': await freePort(),
      'listen.internal.shared_secret': 'a-shared-secret-for-tests',
      ...extra,
    }),
  );
  return path;
}

async function exercise(baseUrl: string): Promise<unknown[]> {
  const put = await fetch(`${baseUrl}/_demo/things/t1`, { method: 'PUT', body: JSON.stringify({ label: 'one' }) });
  const get = await fetch(`${baseUrl}/_demo/things/t1`);
  const missing = await fetch(`${baseUrl}/_demo/things/nope`);
  const forbidden = await fetch(`${baseUrl}/_demo/forbidden`);
  return Promise.all([put, get, missing, forbidden].map(async (r) => ({ status: r.status, body: await r.json() })));
}

const EXPECTED = [
  { status: 200, body: { count: 1 } },
  { status: 200, body: { found: true, thing: { id: 't1', label: 'one', tags: ['a'] } } },
  { status: 200, body: { found: false } },
];

describe('one component API, one process or two', () => {
  const why = natsUnavailableReason();
  const skip = why && !servicesRequired() ? skipReason('NATS', why) : false;
  let nats: NatsServer | undefined;
  let natsUrl = process.env.AXON_TEST_NATS_URL ?? '';
  const running: AxonProcess[] = [];
  before(async () => {
    if (!natsUrl && !skip) {
      nats = await startNats();
      natsUrl = nats.url;
    }
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await nats?.stop();
  });

  it('answers the same results and errors in a monolith and across two processes', { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-xproc-'));
    const mono = await startDemo(await writeConfig(dir, 'mono', {}));
    running.push(mono);
    const monoAnswers = await exercise(mono.clientUrl);
    assert.deepEqual(monoAnswers.slice(0, 3), EXPECTED);
    const forbidden = monoAnswers[3] as { status: number; body: Record<string, unknown> };
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.errcode, 'M_FORBIDDEN');

    const bus = { 'bus.kind': 'nats', 'bus.nats.servers': [natsUrl], 'bus.nats.prefix': `xproc${Date.now()}` };
    const backCfg = await writeConfig(dir, 'back', bus);
    const back = await startDemo(backCfg, 'demoback');
    running.push(back);
    const frontCfg = await writeConfig(dir, 'front', { ...bus, components: { demoback: { internal_url: back.internalUrl } } });
    const front = await startDemo(frontCfg, 'demofront');
    running.push(front);
    assert.deepEqual(await exercise(front.clientUrl), monoAnswers, 'the polylith answers exactly as the monolith');
  });

  it('refuses a subset of components on the embedded bus, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-xproc-'));
    const cfg = await writeConfig(dir, 'embedded', {});
    await assert.rejects(startDemo(cfg, 'demofront'), /bus\.kind: the embedded bus works only when one process runs every component/);
  });

  it('stops start-up naming the missing components.<name>.internal_url', { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-xproc-'));
    const cfg = await writeConfig(dir, 'front', { 'bus.kind': 'nats', 'bus.nats.servers': [natsUrl], 'bus.nats.prefix': `xproc${Date.now()}` });
    // The front asks for its peer's API while starting, so start-up stops with the key to set.
    await assert.rejects(startDemo(cfg, 'demofront'), /components\.demoback\.internal_url: this process calls demoback but does not run it/);
  });
});
