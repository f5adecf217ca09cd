/**
 * How query text is compared in `suggest/`: the shared normalisation (`normalizeText`: NFKC, which
 * also folds full-width forms, lower case, white space collapsed), a check for control characters,
 * and the variant key under which spellings of one query are merged.
 */

import { InvalidArgumentError } from '../core/index.js';
import { normalizeText } from '../text/index.js';

// Tab, newline and the other C0/C1 controls: no one types them into a search box.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// White space, punctuation and symbols do not tell two queries apart (`iphone-15` = `iphone 15`).
const NOT_IN_VARIANT_KEY = /[\s\p{P}\p{S}]+/gu;

/** True when the text holds a control character. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * The form a query is stored and shown in: `normalizeText`, or '' when it is empty, longer than
 * `maxLength` characters, or holds a control character (such a query is never mined).
 */
export function queryForm(query: string, maxLength: number): string {
  if (hasControlCharacter(query)) return '';
  const text = normalizeText(query);
  // UTF-16 length bounds the code points from above: count them only when it might matter.
  return text.length > maxLength && codePoints(text) > maxLength ? '' : text;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The key under which spellings of one query are merged: the normalised text without white space,
 * punctuation or symbols (`华为 手机`, `华为手机` and `华为-手机` are one query; `i phone` and
 * `iphone` too). A text made only of those characters keeps itself as its key.
 */
export function variantKey(text: string): string {
  const key = text.replace(NOT_IN_VARIANT_KEY, '');
  return key === '' ? text : key;
}

/**
 * What the user typed, as completion compares it: `normalizeText`, keeping one trailing space when
 * the input ended with white space (`apple ` completes to `apple watch`, not `applesauce`).
 * @throws InvalidArgumentError when the input holds a control character or is longer than `maxLength` characters.
 */
export function typedPrefix(input: string, maxLength: number): string {
  if (input.length > maxLength) {
    throw new InvalidArgumentError(`prefix has ${input.length} characters, at most ${maxLength} are allowed`);
  }
  const control = CONTROL.exec(input);
  if (control !== null) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    throw new InvalidArgumentError(`prefix holds the control character U+${code} at offset ${control.index}`);
  }
  const text = normalizeText(input);
  return text !== '' && /\s$/u.test(input) ? `${text} ` : text;
}
