import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from './json.js';
import { globMatches, hostOf, isIpLiteral, isServerAllowedByAcl, serverAclContentProblem } from './server-acl.js';

void test('globMatches: * any run, ? exactly one character, whole string, case-insensitive pattern', () => {
  const cases: [pattern: string, value: string, expected: boolean][] = [
    ['*', '', true],
    ['*', 'evil.com', true],
    ['', '', true],
    ['', 'a', false],
    ['evil.com', 'evil.com', true],
    ['evil.com', 'evil.co', false],
    ['evil.com', 'evil.comx', false],
    ['*.evil.com', 'sub.evil.com', true],
    ['*.evil.com', 'evil.com', false],
    ['*evil.com', 'evil.com', true],
    ['ev?l.com', 'evil.com', true],
    ['ev?l.com', 'evl.com', false],
    ['ev?l.com', 'eviil.com', false],
    ['?', '', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'aXbYbZcd', false],
    ['**', 'x', true],
    ['*a?', 'bab', true],
    ['EVIL.COM', 'evil.com', true],
    ['*.Evil.Com', 'matrix.evil.com', true],
  ];
  for (const [pattern, value, expected] of cases) assert.equal(globMatches(pattern, value), expected, `${pattern} vs ${value}`);
});

void test('globMatches stays fast on a pathological pattern', () => {
  const pattern = '*a'.repeat(30) + 'b';
  const value = 'a'.repeat(250);
  const start = process.hrtime.bigint();
  assert.equal(globMatches(pattern, value), false);
  assert.ok(process.hrtime.bigint() - start < 200_000_000n, 'took over 200 ms');
});

void test('hostOf strips the port, keeps IPv6 brackets; isIpLiteral recognises v4 and v6', () => {
  const hosts: [string, string][] = [
    ['evil.com', 'evil.com'],
    ['evil.com:8448', 'evil.com'],
    ['1.2.3.4:80', '1.2.3.4'],
    ['[::1]', '[::1]'],
    ['[::1]:8448', '[::1]'],
    ['[2001:db8::7]:1', '[2001:db8::7]'],
    ['::1', '::1'],
  ];
  for (const [name, host] of hosts) assert.equal(hostOf(name), host, name);
  const literals: [string, boolean][] = [
    ['1.2.3.4', true],
    ['[::1]', true],
    ['[2001:db8::7]', true],
    ['::1', true],
    ['evil.com', false],
    ['1.2.3', false],
    ['[evil.com]', false],
  ];
  for (const [host, expected] of literals) assert.equal(isIpLiteral(host), expected, host);
});

void test('isServerAllowedByAcl applies the spec order: no ACL, IP literals, deny, allow, otherwise deny', () => {
  const acl: JsonObject = { allow: ['*'], deny: ['evil.com', '*.evil.com', '1.2.3.*'], allow_ip_literals: false };
  const cases: [server: string, content: JsonObject | undefined, expected: boolean][] = [
    ['anything.org', undefined, true],
    ['good.org', acl, true],
    ['good.org:8448', acl, true],
    ['evil.com', acl, false],
    ['evil.com:8448', acl, false],
    ['evil.com:1234', acl, false],
    ['EVIL.com', acl, false],
    ['matrix.Evil.COM', acl, false],
    ['notevil.com', acl, true],
    ['5.6.7.8', acl, false],
    ['[::1]', acl, false],
    ['[::1]:8448', acl, false],
    // IP literals allowed unless explicitly false (default true, non-boolean counts as true).
    ['5.6.7.8', { allow: ['*'] }, true],
    ['[::1]:8448', { allow: ['*'], allow_ip_literals: 'no' }, true],
    ['[::1]', { allow: ['[::1]'], allow_ip_literals: true }, true],
    ['[::2]', { allow: ['[::1]'] }, false],
    ['1.2.3.9', { allow: ['*'], deny: ['1.2.3.*'] }, false],
    // No allow list (or a malformed one) denies everyone.
    ['good.org', {}, false],
    ['good.org', { deny: [] }, false],
    ['good.org', { allow: 'good.org' }, false],
    // Non-string entries are skipped, not fatal.
    ['good.org', { allow: [1, 'good.org'] }, true],
    // Deny wins over allow.
    ['good.org', { allow: ['good.org'], deny: ['GOOD.ORG'] }, false],
    ['Good.Org', { allow: ['good.org'] }, true],
    ['sub.good.org', { allow: ['good.org'] }, false],
    ['sub.good.org', { allow: ['*.good.org'] }, true],
  ];
  for (const [server, content, expected] of cases) assert.equal(isServerAllowedByAcl(server, content), expected, `${server} ${JSON.stringify(content)}`);
});

void test('serverAclContentProblem names the malformed field, accepts well-formed content', () => {
  const cases: [JsonObject, string | undefined][] = [
    [{}, undefined],
    [{ allow: ['*'], deny: [], allow_ip_literals: false }, undefined],
    [{ allow: '*' }, 'content.allow must be an array of strings'],
    [{ allow: ['*', 3] }, 'content.allow[1] must be a string'],
    [{ allow: ['*'], deny: { a: 1 } }, 'content.deny must be an array of strings'],
    [{ allow: ['*'], deny: [null] }, 'content.deny[0] must be a string'],
    [{ allow: ['*'], allow_ip_literals: 'false' }, 'content.allow_ip_literals must be a boolean'],
    [{ allow: ['*'], allow_ip_literals: null }, 'content.allow_ip_literals must be a boolean'],
  ];
  for (const [content, expected] of cases) assert.equal(serverAclContentProblem(content), expected, JSON.stringify(content));
});
