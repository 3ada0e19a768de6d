/**
 * Conformance: at-least-once across a consumer process that is SIGKILLed mid-stream and started
 * again, on every bus backend.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { numbered, testTopic, waitFor } from './bus-test-kit.js';
import { describeEachBus } from './describe-each-bus.js';
import { runFixture } from './run-fixture.js';

const COUNT = 2000;
const KEYS = 10;

interface Line {
  readonly run: string;
  readonly key: string;
  readonly n: number;
}

function readLines(file: string): Line[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [run = '', key = '', n = ''] = l.split(' ');
      return { run, key, n: Number(n) };
    });
}

describeEachBus('bus consumer crash', (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'axon-bus-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('handles every message at least once, in key order within each run, across a SIGKILL', async () => {
    const ns = await ctx.namespace();
    const topic = testTopic('Crash');
    const file = join(dir, `${topic.name}.log`);
    const producer = await ns.open();
    await producer.publish(numbered(topic, COUNT, KEYS));
    await producer.close();

    const consumerArgs = (label: string, delayMs: number) => [ctx.backend.name, ns.handle, topic.name, 'crashy', file, label, String(delayMs)];
    // The first run is slow (≥ 1 ms a message), so the kill lands well inside the stream.
    const first = runFixture('consume-to-file.ts', consumerArgs('first', 1));
    await first.printed('subscribed');
    await waitFor('the first run to be part-way', () => readLines(file).length >= COUNT / 4, 20_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = new Set(readLines(file).map((l) => l.n));
    assert.ok(beforeRestart.size < COUNT, `the first run finished (${beforeRestart.size}) before it was killed`);

    const second = runFixture('consume-to-file.ts', consumerArgs('second', 0));
    try {
      await second.printed('subscribed');
      await waitFor('every message handled', () => new Set(readLines(file).map((l) => l.n)).size >= COUNT, 30_000);
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }

    const lines = readLines(file);
    assert.deepEqual(
      [...new Set(lines.map((l) => l.n))].sort((a, b) => a - b),
      Array.from({ length: COUNT }, (_, i) => i),
    );
    // Within one run a key's messages come in order and without gaps: a run starts each key at
    // or before its first unacknowledged message and never skips one.
    for (const run of ['first', 'second']) {
      const perKey = new Map<string, number[]>();
      for (const l of lines.filter((x) => x.run === run)) perKey.set(l.key, [...(perKey.get(l.key) ?? []), l.n]);
      for (const [key, ns2] of perKey) {
        for (let i = 1; i < ns2.length; i++) {
          assert.equal(ns2[i], ns2[i - 1]! + KEYS, `${run} run, key ${key}: ${ns2[i - 1]} then ${ns2[i]}`);
        }
      }
    }
    const secondRun = lines.filter((l) => l.run === 'second');
    assert.ok(secondRun.length > 0, 'the restarted consumer had work left');
    assert.ok(secondRun.length < COUNT, 'the restarted consumer did not start again from the beginning');
  });
});
