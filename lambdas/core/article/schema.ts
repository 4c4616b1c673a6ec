// zod's functional build (same core, same issues and messages), not the classic one: the method-
// chaining API pulls all of zod, JSON Schema output included, into the ingest bundles (issue 14).
import * as z from 'zod/mini';
// The function alone, not config/load.js, which carries the configuration's zod schema.
import { issuePath } from '../config/issuePath.js';
import type { PublisherConfig } from '../config/schema.js';
import { languageTagSchema } from './languageSchema.js';
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

export const MAX_URL_LENGTH = 2048;
/** Corrections per record, and characters per correction. */
export const MAX_CORRECTIONS = 20;
export const MAX_CORRECTION_CHARS = 1000;

/** Plain text: XML-invalid characters dropped, then trimmed and checked. */
const text = (min: number, max: number) =>
  z.pipe(
    z.pipe(z.string({ error: 'must be text (a JSON string)' }), z.transform(stripXmlInvalid)),
    z.string().check(
      z.trim(),
      z.minLength(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
      z.maxLength(max, `must be at most ${max.toLocaleString('en')} characters`),
    ),
  );

/**
 * An absolute URL, normalized once here to its WHATWG serialization (`new URL(x).href`), so every
 * format carries the same string; user names, passwords and over-long URLs are refused.
 */
const absoluteUrl = (schemes: readonly string[], what: string) =>
  z.pipe(z.string({ error: `must be ${what}` }), z.transform((value, ctx) => {
    // zod/mini's transform context is the parse payload itself: issues are pushed onto it.
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', message, input: value });
      return z.NEVER;
    };
    if (value.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH.toLocaleString('en')} characters`);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fail(`must be ${what}`);
    }
    if (!schemes.includes(url.protocol) || !z.regexes.domain.test(url.hostname)) return fail(`must be ${what}`);
    if (url.username || url.password) return fail('must not contain a user name or password');
    if (url.href.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH.toLocaleString('en')} characters once normalized`);
    return url.href;
  }));
const httpsUrl = absoluteUrl(['https:'], 'an absolute https:// URL');
const webUrl = absoluteUrl(['http:', 'https:'], 'an absolute http(s):// URL');
const isHttpsUrl = (value: unknown) => httpsUrl.safeParse(value).success;
const isoWithOffset = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with an offset, e.g. 2025-05-20T18:30:00+05:30' });
const pixels = z.number({ error: 'must be a number' }).check(z.int('must be a whole number of pixels'), z.positive('must be at least 1 pixel'), z.lte(100_000, 'must be at most 100,000 pixels'));

/** Image URLs: absolute https, or (the local server, plain http on loopback) media on the feeds host itself. */
function imageUrlSchema(feedsOrigin: string | undefined) {
  const own = feedsOrigin && !feedsOrigin.startsWith('https:') ? `${feedsOrigin.replace(/\/+$/, '')}/media/` : undefined;
  if (!own) return httpsUrl;
  return z.pipe(z.string({ error: 'must be an absolute https:// URL' }), z.transform((u, ctx) => {
    if (u.startsWith(own)) return u;
    const parsed = httpsUrl.safeParse(u);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, input: u });
    return z.NEVER;
  }));
}

function buildSchema(config: PublisherConfig, feedsOrigin?: string) {
  const imageUrl = imageUrlSchema(feedsOrigin);
  const sectionByName = new Map(config.sections.flatMap((s) => [[s.name, s] as const, [s.slug, s] as const]));
  const sectionNames = config.sections.map((s) => s.name).join(', ');
  const record = z
    .strictObject({
      id: z.string({ error: 'must be text (a JSON string)' }).check(z.regex(ARTICLE_ID, 'must be a slug: lower-case letters, digits and hyphens, 1-128 chars, starting with a letter or digit')),
      title: text(1, 300),
      summary: text(0, 1000),
      contentHtml: z.string({ error: 'must be HTML text (a JSON string)' }).check(z.refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_CONTENT_BYTES, 'must be at most 256 KiB of UTF-8')),
      url: httpsUrl,
      section: z.string({ error: 'must be text (a JSON string)' }).check(z.refine((s) => sectionByName.has(s), `must be a configured section (${sectionNames})`)),
      authors: z
        .array(z.strictObject({ name: text(1, 200), url: z.optional(webUrl) }, { error: 'must be an object with a name' }), { error: 'must be a list of authors' })
        .check(z.minLength(1, 'must name at least one author'), z.maxLength(20, 'must name at most 20 authors')),
      tags: z.pipe(
        z._default(z.array(text(1, 100).check(z.refine((t) => !/[<>]/.test(t), 'must not contain < or >')), { error: 'must be a list of tags' }).check(z.maxLength(50, 'must have at most 50 tags')), []),
        z.transform((tags) => [...new Set(tags)]),
      ),
      image: z.optional(
        z.strictObject({
          url: imageUrl,
          alt: text(0, 500),
          caption: z.optional(text(1, 1000)),
          /** Credit line, e.g. `Photo: Jane Doe / Agency`; plain text. */
          credit: z.optional(text(1, 300)),
          /** Rights statement, e.g. `© Agency. Republication by licensed partners only.`; plain text. */
          rights: z.optional(text(1, 1000)),
          width: z.optional(pixels),
          height: z.optional(pixels),
          /** Size in bytes, when known (RSS enclosure length). */
          length: z.optional(z.number({ error: 'must be a number' }).check(z.int('must be a whole number of bytes'), z.positive('must be at least 1 byte'))),
          type: z.optional(
            z.string({ error: 'must be text (a JSON string)' }).check(z.regex(/^image\/[a-z0-9.+-]+$/, 'must be an image MIME type such as image/jpeg'), z.refine((t) => t !== 'image/jpg', 'must be image/jpeg, not image/jpg')),
          ),
        }, { error: 'must be an object with url and alt' }),
      ),
      /** The article's language when it differs from its section's (an International section mixing languages). */
      language: z.optional(languageTagSchema),
      publishedAt: isoWithOffset,
      updatedAt: isoWithOffset,
      /** Corrections readers see with the story (plain text), each with the time it was made. */
      corrections: z.optional(
        z
          .array(z.strictObject({ at: isoWithOffset, text: text(1, MAX_CORRECTION_CHARS) }, { error: 'must be an object with at and text' }), { error: 'must be a list of corrections' })
          .check(z.maxLength(MAX_CORRECTIONS, `must have at most ${MAX_CORRECTIONS} corrections`)),
      ),
      status: z._default(z.enum(['published', 'retracted'], { error: 'must be "published" or "retracted"' }), 'published'),
    })
    // Cross-field rules, checked only on fields that are valid themselves (zod runs this even
    // when other issues exist; an error derived from a bad field would only mislead).
    .check(
      z.superRefine((a, ctx) => {
        const validDates = isoWithOffset.safeParse(a.publishedAt).success && isoWithOffset.safeParse(a.updatedAt).success;
        if (validDates && Date.parse(a.updatedAt) < Date.parse(a.publishedAt)) {
          ctx.addIssue({ code: 'custom', path: ['updatedAt'], message: 'must not be before publishedAt' });
        }
        const validPublished = isoWithOffset.safeParse(a.publishedAt).success;
        (Array.isArray(a.corrections) ? a.corrections : []).forEach((c: unknown, i) => {
          const at = (c as { at?: unknown } | null)?.at;
          if (validPublished && isoWithOffset.safeParse(at).success && Date.parse(at as string) < Date.parse(a.publishedAt)) {
            ctx.addIssue({ code: 'custom', path: ['corrections', i, 'at'], message: 'must not be before publishedAt' });
          }
        });
        if (a.image && !a.image.type && imageUrl.safeParse(a.image.url).success && !imageTypeFromUrl(a.image.url)) {
          ctx.addIssue({ code: 'custom', path: ['image', 'type'], message: 'is required when the image URL has no known extension' });
        }
      }),
    );
  return z.pipe(
    record,
    z.transform((a): Article => {
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
            ...(image.length !== undefined && { length: image.length }),
            type: image.type ?? imageTypeFromUrl(image.url)!,
          },
        }),
        ...(a.language !== undefined && { language: a.language }),
        publishedAt: a.publishedAt,
        updatedAt: a.updatedAt,
        // Oldest first (a stable sort: equal times keep the record's order); no empty list stored.
        ...(a.corrections?.length && {
          corrections: a.corrections.map((c) => ({ at: c.at, text: c.text })).sort((x, y) => Date.parse(x.at) - Date.parse(y.at)),
        }),
        status: a.status,
      };
    }),
  );
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
    return { ok: false, errors: fieldErrors(result.error.issues, raw) };
  }
}

/** Whether the record has a value at this path (a missing field is "required", a wrong one is not). */
function present(raw: unknown, path: readonly PropertyKey[]): boolean {
  let node = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node !== undefined;
}

/** zod's issues as an editor reads them: one message per field, unknown keys named as fields. */
function fieldErrors(issues: readonly z.core.$ZodIssue[], raw: unknown): FieldError[] {
  const byField = new Map<string, string>();
  const add = (field: string, message: string) => {
    if (!byField.has(field)) byField.set(field, message);
  };
  for (const issue of issues) {
    const field = issuePath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(issuePath([...issue.path, key]), 'is not a field of the article record');
    } else if (issue.code === 'invalid_type' && !present(raw, issue.path)) {
      add(field || '(record)', 'is required');
    } else {
      add(field || '(record)', issue.message);
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
