import { z } from 'zod';
import { issuePath } from '../config/load.js';
import type { PublisherConfig } from '../config/schema.js';
import { sanitizeArticleHtml } from './sanitize.js';
import { stripXmlInvalid } from './text.js';
import type { Article, FieldError } from './types.js';

export const ARTICLE_ID = /^[a-z0-9][a-z0-9-]{0,127}$/;
export const MAX_CONTENT_BYTES = 256 * 1024;

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif', svg: 'image/svg+xml',
};

/** MIME type from an image URL's extension, e.g. `.jpg` -> `image/jpeg` (never the invalid `image/jpg`). */
export function imageTypeFromUrl(url: string): string | undefined {
  const ext = new URL(url).pathname.split('.').pop()?.toLowerCase() ?? '';
  return IMAGE_TYPES[ext];
}

/** Plain text: XML-invalid characters dropped, then checked. */
const text = (min: number, max: number) => z.string().transform(stripXmlInvalid).pipe(z.string().trim().min(min).max(max));
const httpsUrl = z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: 'must be an absolute https:// URL' });
const webUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'must be an absolute http(s):// URL' });
const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2025-05-20T18:30:00+05:30' });

/** Image URLs: absolute https, or (the local server, plain http on loopback) media on the feeds host itself. */
function imageUrlSchema(feedsOrigin: string | undefined) {
  const own = feedsOrigin && !feedsOrigin.startsWith('https:') ? `${feedsOrigin.replace(/\/+$/, '')}/media/` : undefined;
  return own ? z.string().refine((u) => u.startsWith(own) || httpsUrl.safeParse(u).success, 'must be an absolute https:// URL') : httpsUrl;
}

function buildSchema(config: PublisherConfig, feedsOrigin?: string) {
  const imageUrl = imageUrlSchema(feedsOrigin);
  const sectionByName = new Map(config.sections.flatMap((s) => [[s.name, s] as const, [s.slug, s] as const]));
  const sectionNames = config.sections.map((s) => s.name).join(', ');
  return z
    .strictObject({
      id: z.string().regex(ARTICLE_ID, 'must be a slug: lower-case letters, digits and hyphens, 1-128 chars, starting with a letter or digit'),
      title: text(1, 300),
      summary: text(0, 1000),
      contentHtml: z.string().refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_CONTENT_BYTES, 'must be at most 256 KiB of UTF-8'),
      url: httpsUrl,
      section: z.string().refine((s) => sectionByName.has(s), `must be a configured section (${sectionNames})`),
      authors: z
        .array(z.strictObject({ name: text(1, 200), url: webUrl.optional() }))
        .min(1, 'must name at least one author')
        .max(20),
      tags: z
        .array(text(1, 100).refine((t) => !/[<>]/.test(t), 'must not contain < or >'))
        .max(50)
        .default([])
        .transform((tags) => [...new Set(tags)]),
      image: z
        .strictObject({
          url: imageUrl,
          alt: text(0, 500),
          caption: text(1, 1000).optional(),
          /** Credit line, e.g. `Photo: Jane Doe / Agency`; plain text. */
          credit: text(1, 300).optional(),
          /** Rights statement, e.g. `© Agency. Republication by licensed partners only.`; plain text. */
          rights: text(1, 1000).optional(),
          width: z.number().int().positive().max(100_000).optional(),
          height: z.number().int().positive().max(100_000).optional(),
          type: z.string().regex(/^image\/[a-z0-9.+-]+$/, 'must be an image MIME type such as image/jpeg').refine((t) => t !== 'image/jpg', 'must be image/jpeg, not image/jpg').optional(),
        })
        .optional(),
      publishedAt: isoWithOffset,
      updatedAt: isoWithOffset,
      status: z.enum(['published', 'retracted']).default('published'),
    })
    // Cross-field rules, checked only on fields that are valid themselves (zod runs this even
    // when other issues exist; an error derived from a bad field would only mislead).
    .superRefine((a, ctx) => {
      const validDates = isoWithOffset.safeParse(a.publishedAt).success && isoWithOffset.safeParse(a.updatedAt).success;
      if (validDates && Date.parse(a.updatedAt) < Date.parse(a.publishedAt)) {
        ctx.addIssue({ code: 'custom', path: ['updatedAt'], message: 'must not be before publishedAt' });
      }
      if (a.image && !a.image.type && imageUrl.safeParse(a.image.url).success && !imageTypeFromUrl(a.image.url)) {
        ctx.addIssue({ code: 'custom', path: ['image', 'type'], message: 'is required when the image URL has no known extension' });
      }
    })
    .transform((a): Article => {
      const section = sectionByName.get(a.section)!;
      const { image } = a;
      return {
        id: a.id,
        title: a.title,
        summary: a.summary,
        contentHtml: sanitizeArticleHtml(a.contentHtml, a.url),
        url: a.url,
        section: section.name,
        sectionSlug: section.slug,
        authors: a.authors.map((au) => (au.url ? { name: au.name, url: au.url } : { name: au.name })),
        tags: a.tags,
        ...(image && {
          image: {
            url: image.url,
            alt: image.alt,
            ...(image.caption !== undefined && { caption: image.caption }),
            ...(image.credit !== undefined && { credit: image.credit }),
            ...(image.rights !== undefined && { rights: image.rights }),
            ...(image.width !== undefined && { width: image.width }),
            ...(image.height !== undefined && { height: image.height }),
            type: image.type ?? imageTypeFromUrl(image.url)!,
          },
        }),
        publishedAt: a.publishedAt,
        updatedAt: a.updatedAt,
        status: a.status,
      };
    });
}

export type ArticleParseResult = { ok: true; article: Article } | { ok: false; errors: FieldError[] };

/** Validates raw records against the ingest contract of the configured site. */
export class ArticleValidator {
  private readonly schema: ReturnType<typeof buildSchema>;
  /** `feedsOrigin`: the feeds host, whose shipped media (`{origin}/media/...`) are accepted even on plain http (the local server). */
  constructor(config: PublisherConfig, options: { feedsOrigin?: string } = {}) {
    this.schema = buildSchema(config, options.feedsOrigin);
  }

  parse(raw: unknown): ArticleParseResult {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { ok: false, errors: [{ field: '(record)', message: 'must be a JSON object' }] };
    }
    const result = this.schema.safeParse(raw);
    if (result.success) return { ok: true, article: result.data };
    return {
      ok: false,
      errors: result.error.issues.map((i) => ({
        field: issuePath(i.path) || '(record)',
        message: i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message,
      })),
    };
  }
}
