/**
 * How the user directory matches: user IDs and display names are cut into lower-case words
 * (runs of letters and digits), and a search term matches a user when every word of the term
 * is the start of one of the user's words (`ali smi` finds "Alice Smith" and `@alice.smith:x`).
 * The words are kept as one space-separated text per user so each term word becomes a portable
 * `LIKE '% word%'` on both engines; they are computed here, in JavaScript, because SQLite's
 * `lower()` only folds ASCII and both engines must agree.
 */

/** Term words beyond this many are ignored (each one is a `LIKE` in the query). */
export const MAX_TERM_WORDS = 8;

/** The lower-case words of `text` (NFKC-normalised, split on everything but letters and digits). */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/** The searchable text of some words: deduplicated, each preceded by a space, ending with one. */
function wordsText(words: readonly string[]): string {
  const unique = [...new Set(words)];
  return unique.length === 0 ? ' ' : ` ${unique.join(' ')} `;
}

/**
 * A local user's searchable text: the words of the localpart and of the display name. The
 * server name's words are left out: storage addresses local users by localpart and does not
 * know the server name, so the search checks those words in code (see {@link unmatchedWords}).
 */
export function localSearchText(localpart: string, displayName: string | null): string {
  return wordsText([...searchWords(localpart), ...searchWords(displayName ?? '')]);
}

/** A remote user's searchable text: the words of the whole user ID and of the display name. */
export function remoteSearchText(userId: string, displayName: string | null): string {
  return wordsText([...searchWords(userId), ...searchWords(displayName ?? '')]);
}

/** The key users sort by within a group: the folded display name, else the localpart. */
export function directorySortName(localpart: string, displayName: string | null): string {
  const name = displayName !== null && displayName.trim() !== '' ? displayName : localpart;
  return name.normalize('NFKC').toLowerCase();
}

/** The localpart of any user ID (`@local:server` → `local`), as it appears before the first colon. */
export function localpartOfUserId(userId: string): string {
  const colon = userId.indexOf(':');
  return userId.slice(userId.startsWith('@') ? 1 : 0, colon < 0 ? undefined : colon);
}

/** The distinct words of a search term, at most {@link MAX_TERM_WORDS}; empty when it has no letters or digits. */
export function termWords(term: string): string[] {
  return [...new Set(searchWords(term))].slice(0, MAX_TERM_WORDS);
}

/** The `LIKE` pattern finding `word` at the start of a word of a searchable text (words need no escaping). */
export function wordPattern(word: string): string {
  return `% ${word}%`;
}

/** The term words that no word of `text` starts with: what is left to match elsewhere. */
export function unmatchedWords(termWordList: readonly string[], text: string): string[] {
  const words = searchWords(text);
  return termWordList.filter((t) => !words.some((w) => w.startsWith(t)));
}
