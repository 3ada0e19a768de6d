/** Reading power-level values: integers, numeric strings (v1–v9), floats (v1–v5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../json.js';
import { roomVersion } from '../room-version.js';
import { isStrictInteger, powerLevelValue } from './power-level-value.js';

const v1 = roomVersion('1');
const v6 = roomVersion('6');
const v10 = roomVersion('10');

void describe('powerLevelValue', () => {
  const rows: Array<[JsonValue | undefined, number | undefined, number | undefined, number | undefined]> = [
    // value, v1, v6, v10
    [50, 50, 50, 50],
    [-7, -7, -7, -7],
    [0, 0, 0, 0],
    ['50', 50, 50, undefined],
    ['000100', 100, 100, undefined],
    ['+100', 100, 100, undefined],
    ['-100', -100, -100, undefined],
    [' 100 ', 100, 100, undefined],
    [' \t+0100\n', 100, 100, undefined],
    ['-0', 0, 0, undefined],
    ['', undefined, undefined, undefined],
    ['+', undefined, undefined, undefined],
    ['1 0', undefined, undefined, undefined],
    ['10.5', undefined, undefined, undefined],
    ['1e3', undefined, undefined, undefined],
    ['0x10', undefined, undefined, undefined],
    ['++1', undefined, undefined, undefined],
    [50.57, 50, undefined, undefined],
    [5.114698e4, 51146, undefined, undefined],
    [-0.5, 0, undefined, undefined],
    [-1.5, -1, undefined, undefined],
    [Infinity, undefined, undefined, undefined],
    [NaN, undefined, undefined, undefined],
    [null, undefined, undefined, undefined],
    [true, undefined, undefined, undefined],
    [[50], undefined, undefined, undefined],
    [{ v: 50 }, undefined, undefined, undefined],
    [undefined, undefined, undefined, undefined],
  ];
  for (const [value, inV1, inV6, inV10] of rows) {
    void it(`${JSON.stringify(value) ?? 'undefined'} → v1 ${inV1}, v6 ${inV6}, v10 ${inV10}`, () => {
      assert.equal(powerLevelValue(value, v1), inV1);
      assert.equal(powerLevelValue(value, v6), inV6);
      assert.equal(powerLevelValue(value, v10), inV10);
    });
  }

  void it('never returns -0', () => {
    assert.ok(Object.is(powerLevelValue('-0', v1), 0));
    assert.ok(Object.is(powerLevelValue(-0.2, v1), 0));
  });
});

void describe('isStrictInteger', () => {
  void it('accepts JSON integers only', () => {
    assert.equal(isStrictInteger(5), true);
    assert.equal(isStrictInteger(-5), true);
    assert.equal(isStrictInteger(5.5), false);
    assert.equal(isStrictInteger('5'), false);
    assert.equal(isStrictInteger(null), false);
    assert.equal(isStrictInteger(undefined), false);
  });
});
