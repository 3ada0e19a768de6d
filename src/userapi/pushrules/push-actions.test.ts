import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidPushAction, pushActionEffects, stripHistoricalActions } from './push-actions.js';

describe('isValidPushAction', () => {
  it('accepts notify, the historical actions and set_tweak objects', () => {
    for (const a of ['notify', 'dont_notify', 'coalesce', { set_tweak: 'sound', value: 'x' }, { set_tweak: 'custom' }]) {
      assert.equal(isValidPushAction(a), true, JSON.stringify(a));
    }
  });

  it('rejects anything else', () => {
    for (const a of ['not_an_action', '', 5, null, [], ['notify'], { value: 'x' }, { set_tweak: 5 }]) {
      assert.equal(isValidPushAction(a), false, JSON.stringify(a));
    }
  });
});

describe('stripHistoricalActions', () => {
  it('makes ["dont_notify"] the same as []', () => {
    assert.deepEqual(stripHistoricalActions(['dont_notify']), []);
    assert.deepEqual(stripHistoricalActions(['coalesce', 'notify', { set_tweak: 'highlight' }]), ['notify', { set_tweak: 'highlight' }]);
  });
});

describe('pushActionEffects', () => {
  it('reads notify, sound and a highlight without a value as true', () => {
    assert.deepEqual(pushActionEffects(['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }]), {
      notify: true,
      highlight: true,
      tweaks: { sound: 'default', highlight: true },
    });
  });

  it('defaults to no notification and no highlight', () => {
    assert.deepEqual(pushActionEffects([]), { notify: false, highlight: false, tweaks: {} });
    assert.deepEqual(pushActionEffects(['notify', { set_tweak: 'highlight', value: false }]), { notify: true, highlight: false, tweaks: { highlight: false } });
  });

  it('lets the last tweak of a name win and keeps odd names as plain keys', () => {
    const e = pushActionEffects([{ set_tweak: 'sound', value: 'a' }, { set_tweak: 'sound', value: 'b' }, { set_tweak: '__proto__', value: 1 }]);
    assert.equal(e.tweaks.sound, 'b');
    assert.equal(Object.hasOwn(e.tweaks, '__proto__'), true);
    assert.equal(Object.getPrototypeOf(e.tweaks), Object.prototype);
  });
});
