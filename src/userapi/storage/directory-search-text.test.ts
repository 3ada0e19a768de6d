import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  directorySortName,
  localSearchText,
  localpartOfUserId,
  MAX_TERM_WORDS,
  remoteSearchText,
  searchWords,
  termWords,
  unmatchedWords,
  wordPattern,
} from './directory-search-text.js';

describe('directory search text', () => {
  it('cuts text into lower-case words of letters and digits', () => {
    assert.deepEqual(searchWords('@Alice.Smith_2:Example.ORG'), ['alice', 'smith', '2', 'example', 'org']);
    assert.deepEqual(searchWords('  Élodie   DUPONT-Moreau '), ['élodie', 'dupont', 'moreau']);
    // NFKC folds compatibility forms (fullwidth letters, ligatures) before lower-casing.
    assert.deepEqual(searchWords('ＡＢＣ ﬁne'), ['abc', 'fine']);
    assert.deepEqual(searchWords('@:._-'), []);
  });

  it('builds searchable texts with a space before every word and after the last', () => {
    assert.equal(localSearchText('alice', 'Alice Liddell'), ' alice liddell ');
    assert.equal(localSearchText('bob', null), ' bob ');
    assert.equal(remoteSearchText('@carol:remote.test', 'Carol C'), ' carol remote test c ');
    assert.equal(remoteSearchText('@x:y', null), ' x y ');
  });

  it('sorts by the folded display name, else the localpart', () => {
    assert.equal(directorySortName('alice', 'Zed'), 'zed');
    assert.equal(directorySortName('alice', null), 'alice');
    assert.equal(directorySortName('alice', '   '), 'alice');
    assert.equal(localpartOfUserId('@dave:remote.test:8448'), 'dave');
    assert.equal(localpartOfUserId('dave'), 'dave');
  });

  it('turns a term into distinct words, capped, and word-start patterns', () => {
    assert.deepEqual(termWords('Ali SMI ali'), ['ali', 'smi']);
    assert.equal(termWords('a b c d e f g h i j k').length, MAX_TERM_WORDS);
    assert.deepEqual(termWords('@'), []);
    assert.equal(wordPattern('ali'), '% ali%');
  });

  it('tells which term words a text does not already match', () => {
    assert.deepEqual(unmatchedWords(['hs', 'ali', 'tes'], 'hs.test'), ['ali']);
    assert.deepEqual(unmatchedWords(['st'], 'hs.test'), ['st']);
  });
});
