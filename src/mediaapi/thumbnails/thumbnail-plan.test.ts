import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseThumbnailSpec, MAX_DYNAMIC_SIDE, thumbnailDimensions, type ThumbnailSpec } from './thumbnail-plan.js';

const SYNAPSE_SIZES: ThumbnailSpec[] = [
  { width: 32, height: 32, method: 'crop' },
  { width: 96, height: 96, method: 'crop' },
  { width: 320, height: 240, method: 'scale' },
  { width: 640, height: 480, method: 'scale' },
  { width: 800, height: 600, method: 'scale' },
];

describe('chooseThumbnailSpec', () => {
  it('picks the smallest configured box of the method covering the request', () => {
    assert.deepEqual(chooseThumbnailSpec({ width: 40, height: 40, method: 'crop' }, SYNAPSE_SIZES, true), SYNAPSE_SIZES[1]);
    assert.deepEqual(chooseThumbnailSpec({ width: 32, height: 32, method: 'crop' }, SYNAPSE_SIZES, true), SYNAPSE_SIZES[0]);
    assert.deepEqual(chooseThumbnailSpec({ width: 321, height: 100, method: 'scale' }, SYNAPSE_SIZES, true), SYNAPSE_SIZES[3]);
  });
  it('makes the exact size when none covers and dynamic sizes are on, bounded', () => {
    assert.deepEqual(chooseThumbnailSpec({ width: 200, height: 150, method: 'crop' }, SYNAPSE_SIZES, true), { width: 200, height: 150, method: 'crop' });
    assert.deepEqual(chooseThumbnailSpec({ width: 99999, height: 5000, method: 'scale' }, SYNAPSE_SIZES, true), {
      width: MAX_DYNAMIC_SIDE,
      height: MAX_DYNAMIC_SIDE,
      method: 'scale',
    });
  });
  it('falls back to the largest configured box of the method when dynamic sizes are off', () => {
    assert.deepEqual(chooseThumbnailSpec({ width: 200, height: 150, method: 'crop' }, SYNAPSE_SIZES, false), SYNAPSE_SIZES[1]);
    assert.deepEqual(chooseThumbnailSpec({ width: 1000, height: 1000, method: 'scale' }, SYNAPSE_SIZES, false), SYNAPSE_SIZES[4]);
  });
});

describe('thumbnailDimensions', () => {
  it('returns the original when it fits in the box', () => {
    assert.equal(thumbnailDimensions({ width: 30, height: 20 }, { width: 32, height: 32, method: 'crop' }), 'original');
    assert.equal(thumbnailDimensions({ width: 320, height: 240 }, { width: 320, height: 240, method: 'scale' }), 'original');
  });
  it('scales inside the box keeping the aspect ratio', () => {
    assert.deepEqual(thumbnailDimensions({ width: 1000, height: 500 }, { width: 320, height: 240, method: 'scale' }), { width: 320, height: 160 });
    assert.deepEqual(thumbnailDimensions({ width: 300, height: 900 }, { width: 320, height: 240, method: 'scale' }), { width: 80, height: 240 });
  });
  it('crops to the box, shrinking the box rather than upscaling', () => {
    assert.deepEqual(thumbnailDimensions({ width: 1000, height: 500 }, { width: 96, height: 96, method: 'crop' }), { width: 96, height: 96 });
    assert.deepEqual(thumbnailDimensions({ width: 100, height: 50 }, { width: 96, height: 96, method: 'crop' }), { width: 50, height: 50 });
    assert.deepEqual(thumbnailDimensions({ width: 400, height: 100 }, { width: 200, height: 150, method: 'crop' }), { width: 133, height: 100 });
  });
});
