/**
 * `highlights` of a search response: the words a client should mark in the results. Words match
 * as folded prefixes (`search-tokens.ts`), so the query's words alone would miss what matched
 * ("appl" matched "Apples", "cafe" matched "Café"): the list holds the query's words and then
 * every word of the results' searched text that one of them matched, as it is written there.
 */
import { searchTokens } from './search-tokens.js';

const RAW_WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The highlights for a search for `tokens` whose results' searched texts are `texts`. */
export function searchHighlights(tokens: readonly string[], texts: readonly string[]): string[] {
  const out = new Set(tokens);
  for (const text of texts) {
    for (const word of text.match(RAW_WORD) ?? []) {
      if (out.has(word)) continue;
      if (searchTokens(word).some((w) => tokens.some((t) => w.startsWith(t)))) out.add(word);
    }
  }
  return [...out];
}
