import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNetworkGuard, ipToBytes, parseCidr } from './network-guard.js';

const DEFAULT_DENY = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '0.0.0.0/8', '::1/128', 'fe80::/10', 'fc00::/7'];

describe('network guard', () => {
  it('maps IPv4 into ::ffff:0:0/96 and expands IPv6', () => {
    assert.deepEqual([...(ipToBytes('1.2.3.4') ?? [])], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    assert.deepEqual([...(ipToBytes('::ffff:1.2.3.4') ?? [])], [...(ipToBytes('1.2.3.4') ?? [])]);
    assert.deepEqual([...(ipToBytes('2001:db8::1') ?? [])], [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual([...(ipToBytes('fe80::1%eth0') ?? [])].slice(0, 2), [0xfe, 0x80]);
    assert.equal(ipToBytes('example.org'), undefined);
  });

  it('parses CIDRs and rejects malformed ones', () => {
    assert.equal(parseCidr('10.0.0.0/8').prefix, 104);
    assert.equal(parseCidr('fc00::/7').prefix, 7);
    assert.equal(parseCidr('1.2.3.4').prefix, 128);
    for (const bad of ['10.0.0.0/33', '::/129', 'nope/8', '10.0.0.0/x']) assert.throws(() => parseCidr(bad), /is not a CIDR/);
  });

  it('denies the default private and loopback networks, in every spelling', () => {
    const guard = createNetworkGuard({ allowNetworks: [], denyNetworks: DEFAULT_DENY });
    for (const ip of ['127.0.0.1', '127.255.0.9', '10.1.2.3', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '::1', 'fe80::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1']) {
      assert.equal(guard.isAllowed(ip), false, ip);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) assert.equal(guard.isAllowed(ip), true, ip);
    assert.equal(guard.isAllowed('not-an-ip'), false);
  });

  it('lets allow_networks override deny_networks', () => {
    const guard = createNetworkGuard({ allowNetworks: ['127.0.0.0/8'], denyNetworks: DEFAULT_DENY });
    assert.equal(guard.isAllowed('127.0.0.1'), true);
    assert.equal(guard.isAllowed('::ffff:127.0.0.1'), true);
    assert.equal(guard.isAllowed('::1'), false);
    assert.equal(guard.isAllowed('10.0.0.1'), false);
  });

  it('an IPv6 rule over ::ffff:0:0/96 covers IPv4', () => {
    const guard = createNetworkGuard({ allowNetworks: [], denyNetworks: ['::ffff:0:0/96'] });
    assert.equal(guard.isAllowed('8.8.8.8'), false);
    assert.equal(guard.isAllowed('2001:db8::1'), true);
  });
});
