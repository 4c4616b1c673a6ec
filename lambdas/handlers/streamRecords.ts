import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ArticleChange, ArticleImage } from '../core/feeds/index.js';
import { ARTICLE_PK_PREFIX, KEY } from '../core/storage/index.js';

/** What an item image says about the feeds the article belongs to (the timers of scheduled articles reuse it). */
export function imageOf(image: Record<string, AttributeValue> | undefined): ArticleImage | undefined {
  const sectionSlug = image?.['sectionSlug']?.S;
  if (sectionSlug === undefined) return undefined;
  const updatedAtMs = Number(image?.['updatedAtMs']?.N);
  const newsListing = image?.['newsListing']?.S;
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
