/**
 * A small, forgiving scanner for what a preview needs from an HTML document: its `<meta>` tags,
 * the first `<title>` and the first `<img src>`. It is not a full HTML parser: it only has to
 * find tags, skip comments and the raw text of `<script>`/`<style>` (where a `<meta>` inside a
 * string must not count), and read attributes however they are quoted. It runs in one pass,
 * linear in the input, and never throws on malformed markup.
 */
import { decodeHtmlEntities } from './decode-html-entities.js';

/** What was found in a document. */
export interface HtmlHead {
  /** Attributes of every `<meta>` tag in order, names lower-cased, values decoded. */
  readonly metas: readonly Readonly<Record<string, string>>[];
  /** The text of the first `<title>`, whitespace collapsed; `undefined` if none or empty. */
  readonly title: string | undefined;
  /** The `src` of the first `<img>` that has a non-empty one. */
  readonly firstImageSrc: string | undefined;
}

/** Elements whose content is raw text: nothing inside is a tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';

/** Index just past the closing tag `</name`…`>` from `from`, or the end of the text. */
function skipPast(lower: string, name: string, from: number): { readonly contentEnd: number; readonly next: number } {
  const at = lower.indexOf(`</${name}`, from);
  if (at < 0) return { contentEnd: lower.length, next: lower.length };
  const close = lower.indexOf('>', at);
  return { contentEnd: at, next: close < 0 ? lower.length : close + 1 };
}

/** Reads the attributes of a tag from `pos` (just after its name); returns them and the index after `>`. */
function readAttributes(text: string, pos: number): { readonly attrs: Record<string, string>; readonly next: number } {
  const attrs: Record<string, string> = {};
  let i = pos;
  while (i < text.length) {
    while (isSpace(text[i]) || text[i] === '/') i++;
    if (i >= text.length || text[i] === '>') return { attrs, next: i + 1 };
    const nameStart = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '>' && text[i] !== '/') i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (isSpace(text[i])) i++;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (isSpace(text[i])) i++;
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, i + 1);
        value = text.slice(i + 1, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end + 1;
      } else {
        const start = i;
        while (i < text.length && !isSpace(text[i]) && text[i] !== '>') i++;
        value = text.slice(start, i);
      }
    }
    // The first of two same-named attributes wins, as in a browser.
    if (name !== '' && !(name in attrs)) attrs[name] = decodeHtmlEntities(value);
  }
  return { attrs, next: text.length };
}

/** Scans `text` (an already decoded document) for its metas, title and first image. */
export function parseHtmlHead(text: string): HtmlHead {
  const lower = text.toLowerCase();
  const metas: Record<string, string>[] = [];
  let title: string | undefined;
  let firstImageSrc: string | undefined;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (lower.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    const first = text[lt + 1];
    if (first === '!' || first === '?' || first === '/') {
      const end = text.indexOf('>', lt + 1);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (first === undefined || !/[a-zA-Z]/.test(first)) {
      i = lt + 1;
      continue;
    }
    let nameEnd = lt + 1;
    while (nameEnd < text.length && !isSpace(text[nameEnd]) && text[nameEnd] !== '>' && text[nameEnd] !== '/') nameEnd++;
    const name = lower.slice(lt + 1, nameEnd);
    const { attrs, next } = readAttributes(text, nameEnd);
    i = next;
    if (name === 'meta') metas.push(attrs);
    else if (name === 'img' && firstImageSrc === undefined && (attrs.src ?? '').trim() !== '') firstImageSrc = attrs.src?.trim();
    else if (name === 'title' || RAW_TEXT.has(name)) {
      const { contentEnd, next: after } = skipPast(lower, name, i);
      if (name === 'title' && title === undefined) {
        const t = decodeHtmlEntities(text.slice(i, contentEnd)).replace(/\s+/g, ' ').trim();
        if (t !== '') title = t;
      }
      i = after;
    }
  }
  return { metas, title, firstImageSrc };
}
