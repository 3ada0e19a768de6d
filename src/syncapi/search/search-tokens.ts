/**
 * The words of a text as search sees them, the same for what is indexed and what is searched:
 * compatibility-decomposed (so `ﬁ` is `fi`), accents dropped (so `café` finds `Cafe`), lower-cased,
 * then cut into runs of letters and digits. The index stores these words joined by spaces, so
 * SQLite's `unicode61` tokenizer and PostgreSQL's `simple` parser each see plain lower-case words
 * and agree on what matches; neither engine's own rules for e-mail addresses, host names or
 * diacritics come into play.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}/gu;

/** Most words of a search term used: a longer term adds nothing but work (every word must match). */
export const MAX_QUERY_TOKENS = 16;

/** `text` folded as search compares it (see the file comment), not yet cut into words. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The words of `text`, in order, repeats kept. */
export function searchTokens(text: string): string[] {
  return foldForSearch(text).match(WORD) ?? [];
}

/** The text the index stores for `text`: its words joined by single spaces ('' when it has none). */
export function indexText(text: string): string {
  return searchTokens(text).join(' ');
}

/** The distinct words of a search term, in order, at most {@link MAX_QUERY_TOKENS}. */
export function queryTokens(term: string): string[] {
  return [...new Set(searchTokens(term))].slice(0, MAX_QUERY_TOKENS);
}
