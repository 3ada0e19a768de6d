import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatch } from './glob.js';

describe('globMatch, whole value', () => {
  it("matches the spec's event_match examples", () => {
    assert.equal(globMatch('lunc?*', 'Lunch plans'), true);
    assert.equal(globMatch('lunc?*', 'LUNCH'), true, 'case-insensitive; * may match nothing');
    assert.equal(globMatch('lunc?*', ' lunch'), false, 'leading space');
    assert.equal(globMatch('lunc?*', 'lunc'), false, '? needs a character');
  });

  it('anchors at both ends', () => {
    assert.equal(globMatch('m.room.message', 'm.room.message'), true);
    assert.equal(globMatch('m.room.message', 'm.room.message.x'), false);
    assert.equal(globMatch('m.room.message', 'xm.room.message'), false);
    assert.equal(globMatch('', ''), true);
    assert.equal(globMatch('', 'a'), false);
    assert.equal(globMatch('*', ''), true);
  });

  it('treats regex metacharacters as plain text', () => {
    assert.equal(globMatch('m.notice', 'mXnotice'), false);
    assert.equal(globMatch('a+b(c)[d]$', 'A+B(C)[D]$'), true);
  });

  it('? matches exactly one code point, even outside the BMP', () => {
    assert.equal(globMatch('a?b', 'a😀b'), true);
    assert.equal(globMatch('a??b', 'a😀b'), false);
  });

  it('folds case beyond ASCII', () => {
    assert.equal(globMatch('ÉCOLE', 'école'), true);
    assert.equal(globMatch('straße', 'STRASSE'), false, 'one code point never matches two');
  });

  it('handles several stars', () => {
    assert.equal(globMatch('*a*b*c*', 'xxaxxbxxcxx'), true);
    assert.equal(globMatch('*a*b*c*', 'xxcxxbxxaxx'), false);
  });
});

describe('globMatch, words (content.body)', () => {
  const words = { words: true };

  it("matches the spec's content.body examples", () => {
    assert.equal(globMatch('ex*ple', 'An example event.', words), true);
    assert.equal(globMatch('ex*ple', 'exple', words), true);
    assert.equal(globMatch('ex*ple', 'An exciting triple-whammy', words), true);
  });

  it('needs a word boundary on both sides', () => {
    assert.equal(globMatch('cake', 'I like cake!', words), true);
    assert.equal(globMatch('cake', 'CAKE', words), true);
    assert.equal(globMatch('cake', 'cupcake', words), false);
    assert.equal(globMatch('cake', 'cakes', words), false);
    assert.equal(globMatch('cake', 'cake_walk', words), false, '_ is a word character');
    assert.equal(globMatch('cake', 'cake2', words), false);
    assert.equal(globMatch('cake', 'é cake é', words), true, 'non-ASCII letters are boundaries');
    assert.equal(globMatch('ex*ple', 'An examples event', words), false);
  });

  it('lets a star run over several words', () => {
    assert.equal(globMatch('cake*lie', 'the cake is a lie', words), true);
    assert.equal(globMatch('cake*lie', 'the cake is a lie.', words), true);
    assert.equal(globMatch('cake*lie', 'the cake is a lier', words), false);
  });
});

describe('globMatch, literal', () => {
  it('treats * and ? as characters', () => {
    assert.equal(globMatch('A*?', 'hi a*? there', { words: true, literal: true }), true);
    assert.equal(globMatch('A*?', 'hi abc there', { words: true, literal: true }), false);
  });
});

describe('globMatch, cost', () => {
  it('stays linear in the value for a pathological pattern', () => {
    const body = 'a'.repeat(65_536);
    const started = process.hrtime.bigint();
    assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*a*b', body), false);
    assert.equal(globMatch('a*a*a*a*a*a*a*a*a*b', body, { words: true }), false);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A backtracking regex takes minutes here; the state walk takes milliseconds.
    assert.ok(ms < 2000, `took ${ms} ms`);
  });
});
