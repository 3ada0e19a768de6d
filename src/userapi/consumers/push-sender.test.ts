import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from 'pino';
import type { PerformPusherSetRequest, Pusher } from '../api.js';
import type { PushGatewayClient, PushGatewayNotification } from '../pushgateway/push-gateway-client.js';
import { PushGatewayError } from '../pushgateway/push-gateway-error.js';
import type { PushContent } from './push-payload.js';
import { createPushSender, type PendingPush, type PushSenderDeps } from './push-sender.js';

const pusher = (pushkey: string, url: string): Pusher => ({
  pushkey,
  kind: 'http',
  appId: 'org.example',
  appDisplayName: 'App',
  deviceDisplayName: 'Phone',
  profileTag: null,
  lang: 'en',
  data: { url },
  pushkeyTs: 0,
  deviceId: null,
});

const content: PushContent = {
  eventId: '$e',
  roomId: '!r:hs',
  event: { type: 'm.room.message', sender: '@a:hs', content: { body: 'x' } },
  senderDisplayName: undefined,
  roomName: undefined,
  roomAlias: undefined,
  userId: '@b:hs',
  tweaks: {},
  unread: 1,
};

const pending = (notificationId: number, userId = '@b:hs'): PendingPush => ({ notificationId, content: { ...content, userId, eventId: `$e${notificationId}` } });

/** A gateway answering from a script per URL: an error to throw, or the pushkeys to reject. */
function scriptedGateway(script: Record<string, (Error | string[])[]>, log: string[] = []): PushGatewayClient & { calls: [string, PushGatewayNotification][] } {
  const calls: [string, PushGatewayNotification][] = [];
  return {
    calls,
    async notify(url, notification) {
      calls.push([url, notification]);
      log.push(`notify ${url}`);
      const next = script[url]?.shift() ?? [];
      if (next instanceof Error) throw next;
      return { rejected: next };
    },
  };
}

/** A sender over `gateway` whose pushers are `pushers`, recording the queue rows it deletes. */
function senderWith(gateway: PushGatewayClient, pushers: Record<string, Pusher[]>, extra: Partial<PushSenderDeps> = {}) {
  const dequeued: number[][] = [];
  const deleted: PerformPusherSetRequest[] = [];
  const sender = createPushSender({
    gateway,
    pushersOf: async (userIds) => new Map(userIds.flatMap((u) => (pushers[u] ? [[u, pushers[u]] as const] : []))),
    dequeue: async (ids) => void dequeued.push([...ids]),
    api: {
      performPusherSet: async (req) => {
        deleted.push(req);
        return {};
      },
    },
    retryDelaysMs: [5, 5],
    ...extra,
  });
  return { sender, dequeued, deleted };
}

const down = () => new PushGatewayError('network', 'down');

describe('push sender', () => {
  it('retries retryable failures, gives up on others, deletes rejected pushers, then dequeues the push once', async () => {
    const gateway = scriptedGateway({
      'https://a/n': [new PushGatewayError('status', '503'), ['k1']],
      'https://b/n': [new PushGatewayError('blocked', 'private address')],
    });
    const { sender, dequeued, deleted } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n'), pusher('k2', 'https://a/n'), pusher('k3', 'https://b/n')] });
    sender.enqueue([{ notificationId: 7, content }]);
    await sender.idle();
    assert.deepEqual(
      gateway.calls.map(([url, n]) => [url, n.devices.map((d) => d.pushkey)]),
      [
        ['https://a/n', ['k1', 'k2']],
        ['https://b/n', ['k3']],
        ['https://a/n', ['k1', 'k2']],
      ],
    );
    assert.deepEqual(deleted, [{ userId: '@b:hs', deviceId: null, appId: 'org.example', pushkey: 'k1', pusher: null, append: false }]);
    assert.deepEqual(dequeued, [[7]]);
    await sender.stop();
  });

  it('dequeues a delivered push', async () => {
    const gateway = scriptedGateway({});
    const { sender, dequeued } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')] });
    sender.enqueue([pending(3)]);
    await sender.idle();
    assert.deepEqual(gateway.calls.map(([url, n]) => [url, n.event_id]), [['https://a/n', '$e3']]);
    assert.deepEqual(dequeued, [[3]]);
    await sender.stop();
  });

  it('dequeues a push whose pushkey the gateway rejected, after deleting the pusher', async () => {
    const log: string[] = [];
    const gateway = scriptedGateway({ 'https://a/n': [['k1']] }, log);
    const { sender, dequeued, deleted } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')] }, {});
    sender.enqueue([pending(4)]);
    await sender.idle();
    assert.deepEqual(deleted.map((d) => [d.pushkey, d.pusher]), [['k1', null]]);
    assert.deepEqual(dequeued, [[4]]);
    assert.deepEqual(log, ['notify https://a/n']);
    await sender.stop();
  });

  it('dequeues a push after the last retry failed, and one not retryable after one attempt', async () => {
    const gateway = scriptedGateway({ 'https://a/n': [down(), down(), down(), down()], 'https://c/n': [new PushGatewayError('bad_url', 'no')] });
    const { sender, dequeued } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')], '@c:hs': [pusher('k9', 'https://c/n')] });
    sender.enqueue([pending(5), pending(6, '@c:hs')]);
    await sender.idle();
    assert.deepEqual(gateway.calls.map(([url]) => url), ['https://a/n', 'https://c/n', 'https://a/n', 'https://a/n']);
    assert.deepEqual(dequeued.flat(), [6, 5]);
    await sender.stop();
  });

  it('dequeues only once every gateway request of the notification is done', async () => {
    const log: string[] = [];
    const gateway = scriptedGateway({ 'https://b/n': [down()] }, log);
    const { sender } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n'), pusher('k2', 'https://b/n')] }, {
      dequeue: async (ids) => void log.push(`dequeue ${ids.join(',')}`),
    });
    sender.enqueue([pending(8)]);
    await sender.idle();
    assert.deepEqual(log, ['notify https://a/n', 'notify https://b/n', 'notify https://b/n', 'dequeue 8']);
    await sender.stop();
  });

  it('dequeues the push of a user with no pusher left without calling a gateway', async () => {
    const gateway = scriptedGateway({});
    const { sender, dequeued } = senderWith(gateway, {});
    sender.enqueue([pending(9)]);
    await sender.idle();
    assert.equal(gateway.calls.length, 0);
    assert.deepEqual(dequeued, [[9]]);
    await sender.stop();
  });

  it('keeps the rows of a push waiting for a retry when stopped, and of queued jobs', async () => {
    const gateway = scriptedGateway({ 'https://a/n': [down()] });
    const { sender, dequeued } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')], '@c:hs': [pusher('k2', 'https://c/n')] }, { retryDelaysMs: [60_000], concurrency: 1 });
    sender.enqueue([pending(10)]);
    sender.enqueue([pending(11, '@c:hs')]);
    // The first call fails and waits a minute; the second is delivered.
    for (let i = 0; i < 100 && dequeued.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(dequeued, [[11]]);
    sender.enqueue([pending(12, '@c:hs')]);
    await sender.stop();
    assert.deepEqual(gateway.calls.map(([url, n]) => [url, n.event_id]), [
      ['https://a/n', '$e10'],
      ['https://c/n', '$e11'],
    ]);
    assert.deepEqual(dequeued, [[11]]);
    await sender.idle();
  });

  it('keeps the row of a call failing after stop() began, and waits for that call', async () => {
    let fail: (err: Error) => void = () => {};
    const gateway: PushGatewayClient = { notify: () => new Promise((_resolve, reject) => (fail = reject)) };
    const { sender, dequeued } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')] });
    sender.enqueue([pending(13)]);
    await new Promise((r) => setTimeout(r, 10));
    let stopped = false;
    const stopping = sender.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(stopped, false);
    fail(down());
    await stopping;
    assert.deepEqual(dequeued, []);
  });

  it('gives the rows of pushes finishing during a deletion to the next one', async () => {
    const gateway = scriptedGateway({});
    let release: () => void = () => {};
    const blocked = new Promise<void>((r) => (release = r));
    const dequeued: number[][] = [];
    const { sender } = senderWith(gateway, { '@b:hs': [pusher('k1', 'https://a/n')], '@c:hs': [pusher('k2', 'https://c/n')], '@d:hs': [pusher('k3', 'https://d/n')] }, {
      dequeue: async (ids) => {
        dequeued.push([...ids]);
        if (dequeued.length === 1) await blocked;
      },
    });
    sender.enqueue([pending(1), pending(2, '@c:hs'), pending(3, '@d:hs')]);
    for (let i = 0; i < 100 && gateway.calls.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(dequeued, [[1]]);
    release();
    await sender.idle();
    assert.deepEqual(dequeued, [[1], [2, 3]]);
    await sender.stop();
  });

  it('logs a failed deletion once and does not retry it', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, msg: string) => void warnings.push(msg), info: () => {} } as unknown as Logger;
    let attempts = 0;
    const { sender } = senderWith(scriptedGateway({}), { '@b:hs': [pusher('k1', 'https://a/n')] }, {
      logger,
      dequeue: async () => {
        attempts++;
        throw new Error('database gone');
      },
    });
    sender.enqueue([pending(1)]);
    await sender.idle();
    assert.equal(attempts, 1);
    assert.deepEqual(warnings, ['push: removing delivered pushes from the queue failed; they are sent again at the next start']);
    await sender.stop();
  });
});
