import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ArticleChange, ArticleImage } from '../core/feeds/index.js';
import { streamImageDocumentJson } from '../adapters/aws/articleDocument.js';
import { newsSitemapListing } from '../core/publish/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';

/** What the news sitemap lists of the stored document, or undefined when there is none to read. */
function newsListingOf(doc: string | undefined, status: string | undefined): string | undefined {
  if (doc === undefined) return undefined;
  try {
    const article = JSON.parse(doc) as Record<string, unknown>;
    const text = (k: string) => (typeof article[k] === 'string' ? (article[k] as string) : undefined);
    return newsSitemapListing({ status: (status ?? text('status')) as 'published', publishedAt: text('publishedAt'), url: text('url'), title: text('title'), language: text('language') });
  } catch {
    return undefined;
  }
}

/** What an item image says about the feeds the article belongs to (the timers of scheduled articles reuse it). */
export function imageOf(image: Record<string, AttributeValue> | undefined): ArticleImage | undefined {
  const sectionSlug = image?.['sectionSlug']?.S;
  if (sectionSlug === undefined) return undefined;
  const updatedAtMs = Number(image?.['updatedAtMs']?.N);
  const newsListing = newsListingOf(streamImageDocumentJson(image), image?.['status']?.S);
  return {
    sectionSlug,
    feedTags: image?.['feedTags']?.SS ?? [],
    feedAuthors: image?.['feedAuthors']?.SS ?? [],
    ...(Number.isFinite(updatedAtMs) && { updatedAtMs }),
    ...(image?.['status']?.S !== undefined && { published: image['status'].S === 'published' }),
    ...(newsListing !== undefined && { newsListing }),
  };
}

/** The article change a stream record carries (old and new image), or undefined for anything but an article item. */
export function articleChangeOf(record: DynamoDBRecord): ArticleChange | undefined {
  const { Keys, OldImage, NewImage } = record.dynamodb ?? {};
  const pk = Keys?.[KEY.partition]?.S;
  if (!pk?.startsWith(ARTICLE_PK_PREFIX)) return undefined;
  const old = imageOf(OldImage);
  const now = imageOf(NewImage);
  return { articleId: pk.slice(ARTICLE_PK_PREFIX.length), ...(old && { old }), ...(now && { new: now }) };
}
