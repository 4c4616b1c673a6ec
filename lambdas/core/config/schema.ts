import * as z from 'zod';
import { slugify } from './slug.js';

export { slugify };

/** Automatic feeds per article and kind: keeps an article's write (entries in, entries out) inside one transaction. */
export const MAX_AUTOMATIC_PER_ARTICLE = 20;

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an absolute https:// URL' });

const sectionSchema = z
  .object({
    name: z.string().min(1).max(80),
    slug: z.string().regex(SLUG, 'must be a lower-case slug').optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().min(1).max(1000),
    /** The section's page on the site (the feeds' home link); defaults to siteUrl. */
    link: httpsUrl.optional(),
    /** Public feeds carry full HTML unless this is false (partners always get full text). */
    fullTextInPublicFeeds: z.boolean().default(true),
  })
  .transform((s) => ({ ...s, slug: s.slug ?? slugify(s.name), title: s.title ?? s.name }));

const tagFeedSchema = z
  .object({
    /** The tag as articles carry it, e.g. `Russia Ukraine conflict`. */
    tag: z.string().min(1).max(100),
    slug: z.string().regex(SLUG, 'must be a lower-case slug').optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().min(1).max(1000).optional(),
  })
  .transform((t) => ({ ...t, slug: t.slug ?? slugify(t.tag), title: t.title ?? t.tag, description: t.description ?? `Stories tagged “${t.tag}”.` }));

/** Automatic feeds of one kind (tags, authors): one per distinct value carried by a published article. */
const automaticKindSchema = z
  .strictObject({
    /** Every tag (author) of a published article gets its own feeds; false keeps only the configured ones. */
    enabled: z.boolean().default(true),
    /** Listed in the index page and OPML once it holds this many articles (its documents exist from the first). */
    minArticles: z.number().int().min(1).max(500).default(1),
    /** Tags (author names) that never get an automatic feed, as written or as slugs. */
    exclude: z.array(z.string().min(1).max(200)).max(500).default([]),
    /** At most this many automatic feeds of this kind per article (its first tags/authors, in record order). */
    maxPerArticle: z.number().int().min(0).max(MAX_AUTOMATIC_PER_ARTICLE).default(MAX_AUTOMATIC_PER_ARTICLE),
  })
  .default({ enabled: true, minArticles: 1, exclude: [], maxPerArticle: MAX_AUTOMATIC_PER_ARTICLE });

export const publisherConfigSchema = z
  .object({
    siteTitle: z.string().min(1).max(200),
    /** The newsroom's home page; the channel's home link. */
    siteUrl: httpsUrl,
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "en-GB"'),
    /** Authority and date of the RFC 4151 tag URIs that identify items: `tag:{authority}:{id}`. */
    itemIdAuthority: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,},\d{4}(-\d{2}(-\d{2})?)?$/, 'must be "domain,YYYY[-MM[-DD]]", e.g. "news.example.org,2025"'),
    itemsPerFeed: z.number().int().min(1).max(500).default(50),
    /** Seconds a reader or CDN may cache a feed (Cache-Control max-age). */
    feedMaxAgeSeconds: z.number().int().min(0).max(86_400).default(60),
    icon: httpsUrl.optional(),
    logo: httpsUrl.optional(),
    copyright: z.string().max(300).optional(),
    /** Credit and rights of lead images whose article record sets none (plain text; partners republish them). */
    imageDefaults: z
      .object({
        credit: z.string().min(1).max(300).optional(),
        rights: z.string().min(1).max(1000).optional(),
      })
      .default({}),
    sections: z.array(sectionSchema).min(1),
    /** Tags that get feeds of their own at /feeds/tags/{slug}/, across sections. */
    tagFeeds: z.array(tagFeedSchema).default([]),
    /** Automatic tag and author feeds at /feeds/tags/{slug}/ and /feeds/authors/{slug}/ (on by default; tagFeeds give overrides). */
    automaticFeeds: z
      .strictObject({ tags: automaticKindSchema, authors: automaticKindSchema })
      .default({ tags: automaticKindSchema.parse(undefined), authors: automaticKindSchema.parse(undefined) }),
    /** WebSub hubs told about every publish that changed a feed; none = no push. */
    websubHubs: z.array(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s):// URL' })).max(5).default([]),
    /** Items per RFC 5005 archive page (each section's full history, oldest first). */
    archivePageSize: z.number().int().min(10).max(500).default(50),
  })
  .superRefine((cfg, ctx) => {
    cfg.tagFeeds.forEach((t, i) => {
      if (!SLUG.test(t.slug)) ctx.addIssue({ code: 'custom', path: ['tagFeeds', i, 'tag'], message: `gives the slug "${t.slug}", which is not a valid slug; set "slug"` });
    });
    (['tags', 'authors'] as const).forEach((kind) => {
      if (cfg.automaticFeeds[kind].minArticles > cfg.itemsPerFeed) {
        ctx.addIssue({ code: 'custom', path: ['automaticFeeds', kind, 'minArticles'], message: `must be at most itemsPerFeed (${cfg.itemsPerFeed}): a feed never holds more` });
      }
    });
    const seen = new Map<string, number>();
    cfg.sections.forEach((s, i) => {
      if (!SLUG.test(s.slug)) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'name'], message: `gives the slug "${s.slug}", which is not a valid slug; set "slug"` });
      }
      const earlier = seen.get(s.slug);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['sections', i, 'slug'], message: `duplicates the slug of sections[${earlier}]` });
      }
      seen.set(s.slug, i);
    });
  });

export type PublisherConfig = z.output<typeof publisherConfigSchema>;
export type SectionConfig = PublisherConfig['sections'][number];
export type TagFeedConfig = PublisherConfig['tagFeeds'][number];
export type AutomaticFeedsConfig = PublisherConfig['automaticFeeds'];
