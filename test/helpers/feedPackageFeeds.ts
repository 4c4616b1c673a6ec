import { Feed } from 'feed';
import type { FeedContext } from '../../lambdas/core/render/context.js';

/**
 * The same feed model rendered by the `feed` package (a second opinion, for the differential
 * test): channel, items, authors, dates and links as that package writes them.
 */
export function renderWithFeedPackage(ctx: FeedContext): { rss: string; atom: string } {
  const feed = new Feed({
    id: ctx.feedId,
    title: ctx.section.title,
    description: ctx.section.description,
    link: ctx.homeUrl,
    language: ctx.config.language,
    updated: ctx.updated,
    generator: 'section-feed-publisher',
    copyright: ctx.config.copyright ?? '',
    feedLinks: { rss: ctx.selfUrl.rss, atom: ctx.selfUrl.atom },
  });
  for (const a of ctx.articles) {
    feed.addItem({
      title: a.title,
      id: ctx.itemId(a),
      guid: ctx.itemId(a),
      link: a.url,
      date: new Date(a.updatedAt),
      published: new Date(a.publishedAt),
      description: a.summary,
      content: a.contentHtml,
      author: a.authors.map((au) => ({ name: au.name, ...(au.url && { link: au.url }) })),
      category: a.tags.map((name) => ({ name, term: name })),
    });
  }
  return { rss: feed.rss2(), atom: feed.atom1() };
}
