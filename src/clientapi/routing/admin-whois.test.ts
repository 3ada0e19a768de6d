import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Device } from '../../userapi/api.js';
import { whoisDeviceJson } from './admin-whois.js';

const base: Device = { userId: '@a:hs', deviceId: 'D', displayName: null, lastSeenTs: null, lastSeenIp: null, lastSeenUserAgent: null };

describe('whoisDeviceJson', () => {
  it('gives a device never seen one session with no connections', () => {
    assert.deepEqual(whoisDeviceJson(base), { sessions: [{ connections: [] }] });
    // a time alone (no address) is not a connection
    assert.deepEqual(whoisDeviceJson({ ...base, lastSeenTs: 5 }), { sessions: [{ connections: [] }] });
  });

  it('turns the last sighting into the one connection', () => {
    const d = { ...base, lastSeenTs: 1411996332123, lastSeenIp: '10.0.0.2', lastSeenUserAgent: 'curl/7.31.0-DEV' };
    assert.deepEqual(whoisDeviceJson(d), {
      sessions: [{ connections: [{ ip: '10.0.0.2', last_seen: 1411996332123, user_agent: 'curl/7.31.0-DEV' }] }],
    });
  });

  it('leaves out a user agent or time that was not recorded', () => {
    assert.deepEqual(whoisDeviceJson({ ...base, lastSeenIp: '::1', lastSeenTs: 7 }), { sessions: [{ connections: [{ ip: '::1', last_seen: 7 }] }] });
    assert.deepEqual(whoisDeviceJson({ ...base, lastSeenIp: '::1' }), { sessions: [{ connections: [{ ip: '::1' }] }] });
  });
});
