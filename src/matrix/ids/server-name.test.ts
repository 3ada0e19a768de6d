import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidServerName, parseServerName } from './server-name.js';

void test('the spec examples parse to their parts', () => {
  const cases: [string, string, string, number | undefined][] = [
    ['matrix.org', 'matrix.org', 'dns', undefined],
    ['matrix.org:8888', 'matrix.org', 'dns', 8888],
    ['1.2.3.4', '1.2.3.4', 'ipv4', undefined],
    ['1.2.3.4:1234', '1.2.3.4', 'ipv4', 1234],
    ['[1234:5678::abcd]', '1234:5678::abcd', 'ipv6', undefined],
    ['[1234:5678::abcd]:5678', '1234:5678::abcd', 'ipv6', 5678],
    ['localhost', 'localhost', 'dns', undefined],
    ['MATRIX.org', 'MATRIX.org', 'dns', undefined],
    ['a-b.c-d', 'a-b.c-d', 'dns', undefined],
    ['[::1]:8448', '::1', 'ipv6', 8448],
    ['[::ffff:1.2.3.4]', '::ffff:1.2.3.4', 'ipv6', undefined],
    ['1.2.3', '1.2.3', 'dns', undefined],
    ['example.org:65535', 'example.org', 'dns', 65535],
  ];
  for (const [name, host, hostKind, port] of cases) {
    assert.deepEqual(parseServerName(name), { ok: true, value: { host, hostKind, port } }, name);
  }
});

void test('invalid server names are refused with a reason', () => {
  const cases: [string, RegExp][] = [
    ['', /host is empty/],
    [':8448', /host is empty/],
    ['example.org:', /port "" is not 1–5 digits/],
    ['example.org:123456', /not 1–5 digits/],
    ['example.org:65536', /port 65536 is out of range/],
    ['example.org:80a', /not 1–5 digits/],
    ['exa_mple.org', /not a valid DNS name/],
    ['example..org', /not a valid DNS name/],
    ['example.org.', /not a valid DNS name/],
    ['.example.org', /not a valid DNS name/],
    ['ex ample.org', /not a valid DNS name/],
    ['exämple.org', /not a valid DNS name/],
    ['1.2.3.256', /not a valid IPv4 address/],
    ['[1234:5678::abcd', /unterminated IPv6/],
    ['[1234:5678::abcg]', /not a valid IPv6/],
    ['[fe80::1%eth0]', /not a valid IPv6/],
    ['[1.2.3.4]', /not a valid IPv6/],
    ['[::1]8448', /unexpected characters/],
    ['1234:5678::abcd', /not 1–5 digits/],
    ['a'.repeat(256), /longer than 255/],
  ];
  for (const [name, reason] of cases) {
    const r = parseServerName(name);
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.match(r.reason, reason, name);
  }
  assert.equal(isValidServerName('matrix.org'), true);
  assert.equal(isValidServerName('matrix.org:'), false);
});
