import sanitizeHtml from 'sanitize-html';
import { stripXmlInvalid } from './text.js';

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'),
  'img', 'figure', 'figcaption', 'picture', 'source', 'video', 'audio', 'track',
];

function absolutize(value: string | undefined, base: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value, base).toString();
  } catch {
    return undefined;
  }
}

/**
 * Cleans article HTML once, at ingest: drops scripts, iframes, styles, event handlers and any URL
 * scheme but http(s)/mailto, and resolves relative links against the article URL so partners who
 * republish the body get working links. Rendering trusts what is stored.
 */
export function sanitizeArticleHtml(html: string, articleUrl: string): string {
  const resolve = (attr: string) => (tagName: string, attribs: sanitizeHtml.Attributes) => {
    const resolved = absolutize(attribs[attr], articleUrl);
    const next = { ...attribs };
    if (resolved === undefined) delete next[attr];
    else next[attr] = resolved;
    if (tagName === 'a' && next['target'] === '_blank') next['rel'] = 'noopener noreferrer';
    return { tagName, attribs: next };
  };
  return sanitizeHtml(stripXmlInvalid(html), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'name', 'title', 'target', 'rel'],
      img: ['src', 'srcset', 'alt', 'title', 'width', 'height', 'loading'],
      source: ['src', 'srcset', 'type', 'media'],
      video: ['src', 'poster', 'controls', 'width', 'height'],
      audio: ['src', 'controls'],
      track: ['src', 'kind', 'srclang', 'label'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      blockquote: ['cite'],
      q: ['cite'],
      time: ['datetime'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { a: resolve('href'), img: resolve('src'), source: resolve('src'), video: resolve('src'), audio: resolve('src') },
  }).trim();
}
