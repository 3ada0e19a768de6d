import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentDisposition, sanitiseFileName } from './content-disposition.js';

describe('contentDisposition', () => {
  it('is inline only for the spec list of safe types', () => {
    assert.equal(contentDisposition('image/png', null), 'inline');
    assert.equal(contentDisposition('Text/Plain; charset=utf-8', null), 'inline');
    assert.equal(contentDisposition('video/mp4', null), 'inline');
    assert.equal(contentDisposition('image/svg+xml', null), 'attachment');
    assert.equal(contentDisposition('text/html', null), 'attachment');
    assert.equal(contentDisposition('application/pdf', null), 'attachment');
    assert.equal(contentDisposition('application/octet-stream', 'a.bin'), 'attachment; filename="a.bin"');
  });
  it('encodes names outside plain ASCII per RFC 8187', () => {
    assert.equal(contentDisposition('image/png', 'café.png'), "inline; filename*=utf-8''caf%C3%A9.png");
    assert.equal(contentDisposition('image/png', "it's (1).png"), "inline; filename*=utf-8''it%27s%20%281%29.png");
    assert.equal(contentDisposition('image/png', '日本.png'), "inline; filename*=utf-8''%E6%97%A5%E6%9C%AC.png");
  });
});

describe('sanitiseFileName', () => {
  it('drops paths, control characters and quotes, and bounds the length', () => {
    assert.equal(sanitiseFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitiseFileName('C:\\Users\\x\\evil.exe'), 'evil.exe');
    assert.equal(sanitiseFileName('a\r\nX-Evil: 1"b'), 'aX-Evil: 1b');
    assert.equal(sanitiseFileName('x'.repeat(300)).length, 255);
    assert.equal(sanitiseFileName(''), '');
    assert.equal(sanitiseFileName(null), '');
  });
});
