import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCodePoints } from './compare-code-points.js';

void describe('compareCodePoints', () => {
  void it('orders ASCII like <, shorter prefixes first', () => {
    assert.ok(compareCodePoints('$a', '$b') < 0);
    assert.ok(compareCodePoints('$b', '$a') > 0);
    assert.ok(compareCodePoints('$ab', '$abc') < 0);
    assert.equal(compareCodePoints('$x', '$x'), 0);
  });

  void it('puts characters above U+FFFF after U+E000–U+FFFF, unlike UTF-16 order', () => {
    const emoji = '\u{1F600}';
    const replacement = '\uFFFD';
    assert.ok(emoji < replacement, 'UTF-16 code units put the surrogate first');
    assert.ok(compareCodePoints(replacement, emoji) < 0);
    assert.ok(compareCodePoints(emoji, replacement) > 0);
  });

  void it('keeps UTF-16 order where it agrees with code points', () => {
    assert.ok(compareCodePoints('\u00e9', '\u{1F600}') < 0);
    assert.ok(compareCodePoints('\u{1F600}', '\u{1F601}') < 0);
  });
});
