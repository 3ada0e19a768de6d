import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldForSearch, indexText, MAX_QUERY_TOKENS, queryTokens, searchTokens } from './search-tokens.js';

describe('search tokens', () => {
  it('folds case, accents and compatibility forms', () => {
    assert.equal(foldForSearch('Café ZOË ﬁne'), 'cafe zoe fine');
  });

  it('cuts runs of letters and digits, in order, repeats kept', () => {
    assert.deepEqual(searchTokens("Don't visit matrix.org, or @bob:hs.test — 2024 x2 x_y"), ['don', 't', 'visit', 'matrix', 'org', 'or', 'bob', 'hs', 'test', '2024', 'x2', 'x', 'y']);
    assert.deepEqual(searchTokens('a A a'), ['a', 'a', 'a']);
    assert.deepEqual(searchTokens('Привет, 東京タワー!'), ['привет', '東京タワー']);
    assert.deepEqual(searchTokens('!!! ...'), []);
  });

  it('the index text joins the words by single spaces', () => {
    assert.equal(indexText('  Hello,   WORLD!\n'), 'hello world');
    assert.equal(indexText('...'), '');
  });

  it('query words are distinct and capped', () => {
    assert.deepEqual(queryTokens('Martians and men AND martians'), ['martians', 'and', 'men']);
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    assert.equal(queryTokens(many).length, MAX_QUERY_TOKENS);
    assert.deepEqual(queryTokens(many).slice(0, 2), ['w0', 'w1']);
  });
});
