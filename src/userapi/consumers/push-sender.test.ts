import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PerformPusherSetRequest, Pusher } from '../api.js';
import type { PushGatewayClient, PushGatewayNotification } from '../pushgateway/push-gateway-client.js';
import { PushGatewayError } from '../pushgateway/push-gateway-error.js';
import type { PushContent } from './push-payload.js';
import { createPushSender } from './push-sender.js';

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

/** A gateway answering from a script per URL: an error to throw, or the pushkeys to reject. */
function scriptedGateway(script: Record<string, (Error | string[])[]>): PushGatewayClient & { calls: [string, PushGatewayNotification][] } {
  const calls: [string, PushGatewayNotification][] = [];
  return {
    calls,
    async notify(url, notification) {
      calls.push([url, notification]);
      const next = script[url]?.shift() ?? [];
      if (next instanceof Error) throw next;
      return { rejected: next };
    },
  };
}

describe('push sender', () => {
  it('retries retryable failures, gives up on others, and deletes rejected pushers', async () => {
    const gateway = scriptedGateway({
      'https://a/n': [new PushGatewayError('status', '503'), ['k1']],
      'https://b/n': [new PushGatewayError('blocked', 'private address')],
    });
    const deleted: PerformPusherSetRequest[] = [];
    const sender = createPushSender({
      gateway,
      pushersOf: async () => new Map([['@b:hs', [pusher('k1', 'https://a/n'), pusher('k2', 'https://a/n'), pusher('k3', 'https://b/n')]]]),
      api: {
        performPusherSet: async (req) => {
          deleted.push(req);
          return {};
        },
      },
      retryDelaysMs: [5, 5],
    });
    sender.enqueue([content]);
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
    await sender.stop();
  });

  it('stops after the last retry', async () => {
    const err = () => new PushGatewayError('network', 'down');
    const gateway = scriptedGateway({ 'https://a/n': [err(), err(), err(), err()] });
    const sender = createPushSender({
      gateway,
      pushersOf: async () => new Map([['@b:hs', [pusher('k1', 'https://a/n')]]]),
      api: { performPusherSet: async () => ({}) },
      retryDelaysMs: [1, 1],
    });
    sender.enqueue([content]);
    await sender.idle();
    assert.equal(gateway.calls.length, 3);
    await sender.stop();
  });
});
