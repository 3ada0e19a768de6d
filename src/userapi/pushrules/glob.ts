/**
 * Glob matching for push rules (spec appendix "Glob-style matching": `*` is any run of
 * characters, `?` exactly one), case-insensitive, in two modes: the whole value, or any substring
 * starting and ending at a word boundary (`content.body` and content rules).
 *
 * Not a regular expression: a user-written pattern like `*a*a*a*a*b` would make a backtracking
 * engine run in O(n^k) on every 64 KiB message body. This is a set-of-states walk (an NFA over the
 * pattern positions), O(value × pattern) whatever the pattern.
 */

type Token = { readonly t: 'star' } | { readonly t: 'one' } | { readonly t: 'char'; readonly c: string };

/** Compiled patterns, bounded: cleared when full rather than grown without limit. */
const cache = new Map<string, readonly Token[]>();
const CACHE_LIMIT = 1000;

/** Folds one code point for comparison; what "case-insensitive" means is left to servers. */
function fold(c: string): string {
  return c.toLowerCase();
}

function compile(pattern: string, literal: boolean): readonly Token[] {
  const cacheKey = (literal ? 'L' : 'G') + pattern;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const tokens: Token[] = [];
  for (const c of pattern) {
    if (!literal && c === '*') {
      if (tokens.at(-1)?.t !== 'star') tokens.push({ t: 'star' });
    } else if (!literal && c === '?') tokens.push({ t: 'one' });
    else tokens.push({ t: 'char', c: fold(c) });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, tokens);
  return tokens;
}

/** The spec's word characters: `[A-Za-z0-9_]`; anything else (and the ends) is a boundary. */
function isWordChar(c: string | undefined): boolean {
  if (c === undefined || c.length !== 1) return false;
  const code = c.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/** Adds `p` to the state set with the positions reachable by letting stars match nothing. */
function enter(states: boolean[], tokens: readonly Token[], p: number): void {
  let q = p;
  while (!states[q]) {
    states[q] = true;
    if (tokens[q]?.t !== 'star') return;
    q++;
  }
}

/** Options of {@link globMatch}. */
export interface GlobMatchOptions {
  /** Match any substring that starts and ends at a word boundary, not the whole value. */
  readonly words?: boolean;
  /** Treat `*` and `?` as ordinary characters (e.g. a display name). */
  readonly literal?: boolean;
}

/**
 * Whether `pattern` matches `value`, case-insensitively.
 *
 * @example globMatch('lunc?*', 'LUNCH') // true
 * @example globMatch('ex*ple', 'An exciting triple-whammy', { words: true }) // true
 */
export function globMatch(pattern: string, value: string, opts: GlobMatchOptions = {}): boolean {
  const tokens = compile(pattern, opts.literal === true);
  const words = opts.words === true;
  const chars = Array.from(value);
  const m = tokens.length;
  // Two buffers swapped at each step: states at position i, and those after consuming chars[i].
  let states = new Array<boolean>(m + 1).fill(false);
  let next = new Array<boolean>(m + 1).fill(false);
  enter(states, tokens, 0);
  for (let i = 0; ; i++) {
    const atEnd = i === chars.length || (words && !isWordChar(chars[i]));
    if (states[m] && atEnd) return true;
    if (i === chars.length) return false;
    if (!words && !states.includes(true)) return false;
    const c = chars[i] as string;
    const folded = fold(c);
    next.fill(false);
    for (let p = 0; p < m; p++) {
      if (!states[p]) continue;
      const tok = tokens[p] as Token;
      if (tok.t === 'star') enter(next, tokens, p);
      else if (tok.t === 'one' || tok.c === folded) enter(next, tokens, p + 1);
    }
    // In word mode a match may also start right after any boundary character.
    if (words && !isWordChar(c)) enter(next, tokens, 0);
    [states, next] = [next, states];
  }
}
