import { modifiedAt } from '../article/corrections.js';
import { articleLanguage } from '../article/language.js';
import type { Article } from '../article/types.js';
import type { FeedContext } from './context.js';
import { imageCreditAndRights } from './imageRights.js';
import { itemContentHtml } from './itemContent.js';
import { absoluteUrl, ninjsDocumentPath } from '../urls.js';

const STANDARD = { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#' };

const iso = (date: string) => new Date(date).toISOString();

/** The lead image as a ninjs `picture` association: alt, caption, credit (`by`) and rights (`copyrightNotice`). */
function leadImage(image: NonNullable<Article['image']>, ctx: FeedContext) {
  const { credit, rights } = imageCreditAndRights(image, ctx.config);
  return {
    name: 'leadImage',
    rel: 'leadImage',
    uri: image.url,
    type: 'picture',
    ...(image.caption !== undefined && { headlines: [{ role: 'caption', value: image.caption }] }),
    descriptions: [
      { role: 'alt', contentType: 'text/plain', value: image.alt },
      ...(image.caption !== undefined ? [{ role: 'caption', contentType: 'text/plain', value: image.caption }] : []),
    ],
    ...(credit !== undefined && { by: credit }),
    ...(rights !== undefined && { copyrightNotice: rights }),
    renditions: [
      {
        name: 'original',
        href: image.url,
        contentType: image.type,
        ...(image.width !== undefined && { width: image.width }),
        ...(image.height !== undefined && { height: image.height }),
      },
    ],
  };
}

/**
 * One article as an IPTC ninjs 3.1 news item (the property names are 3.x camelCase): the same
 * stable tag: URI as the feeds, full sanitized HTML, canonical URL, authors, tags as subjects.
 */
export function articleToNinjs(article: Article, ctx: FeedContext) {
  const { config } = ctx;
  return {
    standard: STANDARD,
    uri: ctx.itemId(article),
    type: 'text',
    representationType: 'full',
    profile: article.image ? 'text-photo' : 'text-only',
    // A correction makes a new version, also when it is later than the record's updatedAt.
    version: iso(modifiedAt(article)),
    firstCreated: iso(article.publishedAt),
    versionCreated: iso(modifiedAt(article)),
    pubStatus: 'usable',
    language: articleLanguage(article, config.language),
    headlines: [{ role: 'main', value: article.title }],
    // Each correction also as a plain-text description (role "correction", oldest first); its time
    // is in the main body's corrections block and in versionCreated.
    descriptions: [
      { role: 'summary', contentType: 'text/plain', value: article.summary },
      ...(article.corrections ?? []).map((c) => ({ role: 'correction', contentType: 'text/plain', value: c.text })),
    ],
    bodies: [{ role: 'main', contentType: 'text/html', value: itemContentHtml(article, config.language, { fullText: true }) }],
    by: article.authors.map((a) => a.name).join(', '),
    people: article.authors.map((a) => ({ name: a.name, rel: 'author', ...(a.url && { uri: a.url }) })),
    subjects: article.tags.map((tag) => ({ name: tag, rel: 'about' })),
    altIds: [
      { role: 'canonicalUrl', value: article.url },
      { role: 'articleId', value: article.id },
    ],
    renditions: [{ name: 'web', href: article.url, contentType: 'text/html' }],
    ...(config.copyright && { copyrightNotice: config.copyright }),
    ...(article.image && { associations: [leadImage(article.image, ctx)] }),
  };
}

/**
 * The section's listing, itself a ninjs `composite` (so it validates like the items): one
 * association per article with its ids, dates, headline and the URL of its full document.
 */
export function ninjsListing(ctx: FeedContext) {
  const { slug } = ctx.section;
  return {
    standard: STANDARD,
    uri: `tag:${ctx.config.itemIdAuthority}:partner-section/${slug}/ninjs`,
    type: 'composite',
    representationType: 'partial',
    versionCreated: ctx.updated.toISOString(),
    language: ctx.config.language,
    headlines: [{ role: 'main', value: ctx.section.title }],
    descriptions: [{ role: 'summary', contentType: 'text/plain', value: ctx.section.description }],
    associations: ctx.articles.map((article, index) => ({
      name: `item${index + 1}`,
      rel: 'item',
      uri: ctx.itemId(article),
      type: 'text',
      representationType: 'partial',
      firstCreated: iso(article.publishedAt),
      versionCreated: iso(modifiedAt(article)),
      headlines: [{ role: 'main', value: article.title }],
      renditions: [
        { name: 'ninjs', href: absoluteUrl(ctx.baseUrl, ninjsDocumentPath(slug, article.id)), contentType: 'application/json' },
        { name: 'web', href: article.url, contentType: 'text/html' },
      ],
    })),
  };
}
