/** The server-name helper the auth rules use. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainOf } from '../ids/domain-of.js';

void describe('domainOf', () => {
  void it('splits at the first colon', () => {
    assert.equal(domainOf('@bob:b.example'), 'b.example');
    assert.equal(domainOf('@bob:b.example:8448'), 'b.example:8448');
    assert.equal(domainOf('!r:[::1]:80'), '[::1]:80');
    assert.equal(domainOf('$e1:a.example'), 'a.example');
    assert.equal(domainOf('$abc'), undefined);
    assert.equal(domainOf('@:x'), 'x');
  });
});
