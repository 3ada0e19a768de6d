import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AxonConfig } from '../../internal/config/config-schema.js';
import { turnCredentials } from './get-turn-server.js';

const URIS = ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];

function turn(over: Partial<AxonConfig['turn']>): AxonConfig['turn'] {
  return { uris: URIS, user_lifetime_ms: 3_600_000, allow_guests: true, ...over };
}

describe('turnCredentials', () => {
  it('derives time-limited credentials from the shared secret (TURN REST API)', () => {
    // now + 1 h = 1700003600 s. The password was computed outside Axon:
    // printf %s '1700003600:@alice:hs.test' | openssl dgst -sha1 -hmac s3cret -binary | base64
    const got = turnCredentials(turn({ shared_secret: 's3cret' }), '@alice:hs.test', 1_700_000_000_000);
    assert.deepEqual(got, {
      username: '1700003600:@alice:hs.test',
      password: 'wnVS0gNMnKEh8hq8S+Lyt1ZK+aw=',
      uris: URIS,
      ttl: 3600,
    });
  });

  it('rounds the expiry and the ttl down to whole seconds', () => {
    const got = turnCredentials(turn({ shared_secret: 's3cret', user_lifetime_ms: 90_500 }), '@a:hs.test', 1_000_999);
    assert.equal(got?.username, '1091:@a:hs.test');
    assert.equal(got?.ttl, 90);
  });

  it('gives everyone the fixed username and password when configured', () => {
    const got = turnCredentials(turn({ username: 'u', password: 'p', user_lifetime_ms: 86_400_000 }), '@a:hs.test', 5);
    assert.deepEqual(got, { username: 'u', password: 'p', uris: URIS, ttl: 86_400 });
  });

  it('gives nothing when no URI is configured', () => {
    assert.equal(turnCredentials(turn({ uris: [], shared_secret: 's' }), '@a:hs.test', 5), undefined);
  });
});
