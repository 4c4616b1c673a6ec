import { describe, expect, it } from 'vitest';
import { buildFeedContext, renderAtom, renderRss } from '../../lambdas/core/render/index.js';
import { parseWithFeedParser } from '../helpers/feedChecks.js';
import { renderWithFeedPackage } from '../helpers/feedPackageFeeds.js';
import { RICH_BASE, richArticles, richConfig } from '../helpers/richFixture.js';

/** What both renderings must agree on, as @rowanmanning/feed-parser reads them. */
function essentials(xml: string) {
  const feed = parseWithFeedParser(xml);
  return {
    title: feed.title,
    link: feed.url,
    self: feed.self,
    updated: feed.updated?.toISOString(),
    items: feed.items.map((i) => ({
      id: i.id,
      title: i.title,
      link: i.url,
      published: i.published?.toISOString(),
      updated: i.updated?.toISOString(),
      authors: i.authors.map((a) => a.name),
    })),
  };
}

describe('differential: our writers against the feed package on the same state', () => {
  const config = richConfig();
  const ctx = buildFeedContext(config, config.sections[0]!, RICH_BASE, richArticles());
  const theirs = renderWithFeedPackage(ctx);

  it('Atom parses to the same titles, links, ids, dates and authors', () => {
    const ours = essentials(renderAtom(ctx, { fullText: true }));
    expect(ours.items).toHaveLength(3);
    expect(ours).toEqual(essentials(theirs.atom));
  });

  it('RSS parses to the same titles, links, ids, dates and authors (our dc:creator, its <author>)', () => {
    const ours = essentials(renderRss(ctx, { fullText: true }));
    expect(ours.items.map((i) => i.authors)).toEqual([['Ann Author', 'Bo Writer', 'Cy Reporter'], ['Dee Desk'], ['Ann Author']]);
    expect(ours).toEqual(essentials(theirs.rss));
  });
});
