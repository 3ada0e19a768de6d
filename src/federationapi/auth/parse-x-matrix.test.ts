import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isXMatrixHeader, parseXMatrixHeader, parseXMatrixHeaders, type XMatrixAuth } from './parse-x-matrix.js';

function parsed(header: string): XMatrixAuth {
  const r = parseXMatrixHeader(header);
  assert.ok(r.ok, `expected ${header} to parse, got ${r.ok ? '' : r.reason}`);
  return r.value;
}

function reason(header: string): string {
  const r = parseXMatrixHeader(header);
  assert.ok(!r.ok, `expected ${header} to be refused`);
  return r.reason;
}

describe('parseXMatrixHeader', () => {
  it("reads the spec's example", () => {
    const h =
      'X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key1",sig="ABCDEF..."';
    assert.deepEqual(parsed(h), {
      origin: 'origin.hs.example.com',
      destination: 'destination.hs.example.com',
      key: 'ed25519:key1',
      sig: 'ABCDEF...',
    });
  });

  it('accepts a header without destination (senders before v1.3)', () => {
    assert.deepEqual(parsed('X-Matrix origin=a.example,key="ed25519:k",sig="c2ln"'), {
      origin: 'a.example',
      destination: undefined,
      key: 'ed25519:k',
      sig: 'c2ln',
    });
  });

  it('takes parameter names and the scheme case-insensitively, in any order', () => {
    assert.deepEqual(parsed('x-matrix SIG="s",Key="ed25519:k",DESTINATION="d.example",Origin="o.example"'), {
      origin: 'o.example',
      destination: 'd.example',
      key: 'ed25519:k',
      sig: 's',
    });
  });

  it('allows spaces and tabs around commas and "=", several spaces after the scheme, empty list elements', () => {
    const v = parsed('X-Matrix   origin = "o.example" ,\tkey\t=\t"ed25519:k" , , sig="s" ,');
    assert.deepEqual(v, { origin: 'o.example', destination: undefined, key: 'ed25519:k', sig: 's' });
  });

  it('accepts unquoted values with colons, slashes, plus and equals signs (older servers, base64)', () => {
    const v = parsed('X-Matrix origin=o.example:8448,destination=[::1]:8448,key=ed25519:a_b1,sig=ab+/cd==');
    assert.deepEqual(v, { origin: 'o.example:8448', destination: '[::1]:8448', key: 'ed25519:a_b1', sig: 'ab+/cd==' });
  });

  it('unescapes backslash pairs in quoted values and keeps commas and "=" inside quotes', () => {
    const v = parsed(String.raw`X-Matrix origin="o\.exa\mple",key="ed25519:\"k\"",sig="a,b=c\\d",destination=""`);
    assert.deepEqual(v, { origin: 'o.example', destination: '', key: 'ed25519:"k"', sig: 'a,b=c\\d' });
  });

  it('ignores unknown parameters, quoted or not', () => {
    const v = parsed('X-Matrix foo=bar,origin="o.example",baz="x, y=z",key="ed25519:k",sig="s",qux=1');
    assert.deepEqual(v, { origin: 'o.example', destination: undefined, key: 'ed25519:k', sig: 's' });
  });

  it('accepts "signature" as the name of the signature parameter (as the spec lists it)', () => {
    assert.equal(parsed('X-Matrix origin=o,key=ed25519:k,signature=s').sig, 's');
    assert.equal(reason('X-Matrix origin=o,key=ed25519:k,signature=s,sig=t'), 'both "sig" and "signature" are given');
  });

  it('names the missing or empty required parameter', () => {
    assert.equal(reason('X-Matrix key="ed25519:k",sig="s"'), 'the "origin" parameter is missing');
    assert.equal(reason('X-Matrix origin="o",sig="s"'), 'the "key" parameter is missing');
    assert.equal(reason('X-Matrix origin="o",key="ed25519:k"'), 'the "sig" parameter is missing');
    assert.equal(reason('X-Matrix origin="",key="ed25519:k",sig="s"'), 'the "origin" parameter is empty');
    assert.equal(reason('X-Matrix origin=o,key=,sig=s'), 'the "key" parameter is empty');
    assert.equal(reason('X-Matrix'), 'the "origin" parameter is missing');
  });

  it('refuses ambiguous or malformed headers', () => {
    const cases: [string, string][] = [
      ['Bearer abc', 'the authorization scheme is not X-Matrix'],
      ['X-Matrixorigin=o,key=k,sig=s', 'the authorization scheme is not X-Matrix'],
      ['X-Matrix origin=o,origin=p,key=k,sig=s', 'the "origin" parameter is given more than once'],
      ['X-Matrix origin=o,ORIGIN=o,key=k,sig=s', 'the "origin" parameter is given more than once'],
      ['X-Matrix origin="o,key=k,sig=s', 'unterminated quoted value'],
      ['X-Matrix origin="o\\', 'unterminated quoted value'],
      ['X-Matrix origin="o"x,key=k,sig=s', 'expected "," after the "origin" parameter'],
      ['X-Matrix origin=o p,key=k,sig=s', 'expected "," after the "origin" parameter'],
      ['X-Matrix origin=o,key=k,sig=s,trailing', 'expected name=value at "trailing"'],
      ['X-Matrix origin=o,ke y=k,sig=s', 'invalid parameter name "ke y"'],
      ['X-Matrix ="x",origin=o,key=k,sig=s', 'invalid parameter name ""'],
      ['X-Matrix origin="o\u0001",key=k,sig=s', 'invalid character in a quoted value'],
      ['X-Matrix origin=o\u0001,key=k,sig=s', 'invalid character in a value at "?,key=k,sig=s"'],
      ['X-Matrix origin=o"x",key=k,sig=s', 'invalid character in a value at ""x",key=k,sig=s"'],
    ];
    for (const [header, expected] of cases) assert.equal(reason(header), expected, header);
  });
});

describe('isXMatrixHeader / parseXMatrixHeaders', () => {
  it('recognises the scheme only as a whole word', () => {
    assert.equal(isXMatrixHeader('X-Matrix origin=o'), true);
    assert.equal(isXMatrixHeader('x-MATRIX\torigin=o'), true);
    assert.equal(isXMatrixHeader('X-Matrix'), true);
    assert.equal(isXMatrixHeader('X-Matrixy origin=o'), false);
    assert.equal(isXMatrixHeader('Bearer syt_abc'), false);
  });

  it('parses every X-Matrix header in order and skips other schemes', () => {
    const results = parseXMatrixHeaders([
      'Bearer token',
      'X-Matrix origin=o,key=ed25519:a,sig=s1',
      'X-Matrix origin=o,key=ed25519:b',
      'X-Matrix origin=o,key=ed25519:c,sig=s3',
    ]);
    assert.deepEqual(results, [
      { ok: true, value: { origin: 'o', destination: undefined, key: 'ed25519:a', sig: 's1' } },
      { ok: false, reason: 'the "sig" parameter is missing' },
      { ok: true, value: { origin: 'o', destination: undefined, key: 'ed25519:c', sig: 's3' } },
    ]);
    assert.deepEqual(parseXMatrixHeaders([]), []);
  });
});
