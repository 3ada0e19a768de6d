import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFlowComplete, isNextStage } from './uia-flows.js';

const flows = [
  ['a', 'b'],
  ['a', 'c', 'd'],
  ['e'],
];

describe('UIA flows', () => {
  it('allows the first stage of any flow when nothing is done', () => {
    assert.equal(isNextStage(flows, [], 'a'), true);
    assert.equal(isNextStage(flows, [], 'e'), true);
    assert.equal(isNextStage(flows, [], 'b'), false, 'b comes after a');
    assert.equal(isNextStage(flows, [], 'z'), false, 'not in any flow');
  });

  it('allows only the stage that follows the completed prefix', () => {
    assert.equal(isNextStage(flows, ['a'], 'b'), true);
    assert.equal(isNextStage(flows, ['a'], 'c'), true);
    assert.equal(isNextStage(flows, ['a'], 'd'), false);
    assert.equal(isNextStage(flows, ['a', 'c'], 'd'), true);
    assert.equal(isNextStage(flows, ['a'], 'e'), false, 'e only starts a flow');
  });

  it('is complete when the completed stages are exactly some flow', () => {
    assert.equal(isFlowComplete(flows, []), false);
    assert.equal(isFlowComplete(flows, ['a']), false);
    assert.equal(isFlowComplete(flows, ['a', 'b']), true);
    assert.equal(isFlowComplete(flows, ['a', 'c']), false);
    assert.equal(isFlowComplete(flows, ['a', 'c', 'd']), true);
    assert.equal(isFlowComplete(flows, ['e']), true);
  });
});
