import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchHighlights } from './search-highlights.js';

describe('searchHighlights', () => {
  it('the query words, then the words they matched as written in the results', () => {
    assert.deepEqual(searchHighlights(['appl', 'cafe'], ['Apples at the Café', 'an apple, APPLE and applesauce', 'nothing here']), ['appl', 'cafe', 'Apples', 'Café', 'apple', 'APPLE', 'applesauce']);
  });

  it('only the query words when nothing was found', () => {
    assert.deepEqual(searchHighlights(['martians', 'men'], []), ['martians', 'men']);
  });
});
