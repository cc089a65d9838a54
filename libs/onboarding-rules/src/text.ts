/**
 * Lines of text a person typed — names, address lines — must be printable: no C0/C1 control
 * characters (NUL breaks PostgreSQL `text`, escapes and line breaks forge log lines and letters)
 * and no lone UTF-16 surrogate (not a character at all: UTF-8 cannot encode it, so it turns into
 * U+FFFD or an error somewhere downstream).
 */

// C0 controls, DEL and C1 controls; Unicode line and paragraph separators too. Matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` is well-formed UTF-16 with no control character. */
export function isPrintableText(text: string): boolean {
  return !CONTROL.test(text) && !LONE_SURROGATE.test(text);
}
