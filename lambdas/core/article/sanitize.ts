import sanitizeHtml from 'sanitize-html';
import { stripXmlInvalid } from './text.js';

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'style'),
  'img', 'figure', 'figcaption', 'picture', 'source', 'video', 'audio', 'track', 'bdi', 'bdo', 'del', 'ins',
];

/** Attributes that hold one URL, and `srcset`, which holds a list of `URL [descriptor]` candidates. */
const URL_ATTRIBUTES = ['href', 'src', 'poster', 'cite'] as const;

function absolutize(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The candidates of a srcset (HTML's parsing rules, simplified): a URL, then descriptors up to a comma. */
function srcsetCandidates(value: string): { url: string; descriptors: string }[] {
  const candidates: { url: string; descriptors: string }[] = [];
  const pattern = /[\s,]*(\S+)/y;
  let position = 0;
  while (position < value.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(value);
    if (!match) break;
    let url = match[1]!;
    position = pattern.lastIndex;
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', position);
      const end = comma < 0 ? value.length : comma;
      descriptors = value.slice(position, end).trim();
      position = end + 1;
    }
    if (url) candidates.push({ url, descriptors });
  }
  return candidates;
}

/** Each candidate of a srcset resolved against the base; candidates that do not resolve are dropped. */
function absolutizeSrcset(value: string, base: string): string | undefined {
  const resolved = srcsetCandidates(value).flatMap(({ url, descriptors }) => {
    const absolute = absolutize(url, base);
    return absolute ? [descriptors ? `${absolute} ${descriptors}` : absolute] : [];
  });
  return resolved.length ? resolved.join(', ') : undefined;
}

/** Resolves every URL-bearing attribute of an element against the article URL. */
function resolveUrls(base: string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const next = { ...attribs };
    for (const name of URL_ATTRIBUTES) {
      const value = next[name];
      if (value === undefined) continue;
      const resolved = absolutize(value, base);
      if (resolved === undefined) delete next[name];
      else next[name] = resolved;
    }
    if (next['srcset'] !== undefined) {
      const resolved = absolutizeSrcset(next['srcset'], base);
      if (resolved === undefined) delete next['srcset'];
      else next['srcset'] = resolved;
    }
    if (tagName === 'a' && next['target'] === '_blank') next['rel'] = 'noopener noreferrer';
    return { tagName, attribs: next };
  };
}

/**
 * Cleans article HTML once, at ingest: drops scripts, iframes, styles, event handlers and any URL
 * scheme but http(s)/mailto; keeps `dir` and `lang` everywhere (right-to-left text); resolves
 * every URL-bearing attribute (href, src, srcset candidates, poster, cite) against the article
 * URL so partners who republish the body get working links. Rendering trusts what is stored.
 */
export function sanitizeArticleHtml(html: string, articleUrl: string): string {
  return sanitizeHtml(stripXmlInvalid(html), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      '*': ['dir', 'lang'],
      a: ['href', 'name', 'title', 'target', 'rel'],
      img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height', 'loading'],
      source: ['src', 'srcset', 'sizes', 'type', 'media'],
      video: ['src', 'poster', 'controls', 'width', 'height'],
      audio: ['src', 'controls'],
      track: ['src', 'kind', 'srclang', 'label'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      blockquote: ['cite'],
      q: ['cite'],
      del: ['cite', 'datetime'],
      ins: ['cite', 'datetime'],
      time: ['datetime'],
    },
    // <source> and <track> are void elements: written `<source ... />`, never with an end tag.
    selfClosing: [...sanitizeHtml.defaults.selfClosing, 'source', 'track'],
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // style is never an allowed attribute; never parse one (postcss is not even bundled: lambdas/bundling/noPostcss.ts).
    parseStyleAttributes: false,
    transformTags: { '*': resolveUrls(articleUrl) },
  }).trim();
}
