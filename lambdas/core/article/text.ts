/**
 * Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
 * A single one makes a whole feed malformed, so they are dropped from every string we store or render.
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** The same set, as a fast non-Unicode test: controls, U+FFFE/U+FFFF, or any surrogate (a pair is checked by the slow path). */
const MAYBE_INVALID = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function stripXmlInvalid(text: string): string {
  return MAYBE_INVALID.test(text) ? text.replace(XML_INVALID, '') : text;
}

/**
 * A value with XML-invalid characters dropped from every string in it (objects and arrays walked);
 * the very same value when there is nothing to drop, so the common case allocates nothing.
 */
export function withoutXmlInvalid<T>(value: T): T {
  if (typeof value === 'string') return stripXmlInvalid(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((v, i) => {
      const clean = withoutXmlInvalid(v);
      if (clean !== v) (copy ??= [...value])[i] = clean;
    });
    return (copy ?? value) as T;
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, v] of Object.entries(value)) {
      const clean = withoutXmlInvalid(v);
      if (clean !== v) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean;
    }
    return (copy ?? value) as T;
  }
  return value;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Plain text made safe to embed where HTML is expected (RSS description, HTML pages). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
