/**
 * String order by Unicode code point, the order the spec's "event_id is less than" tie-breaks use
 * (and Python's `str` comparison, which Synapse relies on). JavaScript's `<` compares UTF-16 code
 * units instead, which disagrees only when a surrogate pair meets a character in U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF, so they must sort after
    // U+E000–U+FFFF; shift both ranges so plain subtraction gives that order.
    if (x >= 0xd800 && y >= 0xd800) return shiftHigh(x) - shiftHigh(y);
    return x - y;
  }
  return a.length - b.length;
}

function shiftHigh(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}
