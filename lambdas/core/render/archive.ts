import type { Article } from '../article/types.js';
import type { PublisherConfig } from '../config/index.js';
import type { FeedTarget } from '../feeds/index.js';
import { absoluteUrl, archivePagePath, FEED_FORMAT_NAMES, feedFilePath, feedPagePath, type FeedFormat } from '../urls.js';
import { buildFeedContext, newestFirst, type FeedLink } from './context.js';
import { currentDocument, settledDocument } from './formats.js';
import { feedDocument, type RenderedDocument } from './renderFeedDocuments.js';

export interface ArchivePage {
  page: number;
  newestPage: number;
  /** The page's articles, in any order. */
  articles: Article[];
}

const oldestFirst = (a: Article, b: Article) => -newestFirst(a, b);

/** Links between archive pages: RFC 5005 in RSS and Atom; JSON Feed chains with next_url towards older pages. */
function pageLinks(baseUrl: string, target: FeedTarget, format: FeedFormat, page: ArchivePage): FeedLink[] {
  const url = (p: number) => absoluteUrl(baseUrl, archivePagePath(target.basePath, format, p));
  const common = [
    { rel: 'current', href: absoluteUrl(baseUrl, feedFilePath(target.basePath, format)) },
  ];
  if (format === 'json') return [...common, ...(page.page > 0 ? [{ rel: 'next', href: url(page.page - 1), format }] : [])];
  return [
    ...common,
    ...(page.page > 0 ? [{ rel: 'prev-archive', href: url(page.page - 1) }] : []),
    ...(page.page < page.newestPage ? [{ rel: 'next-archive', href: url(page.page + 1) }] : []),
  ];
}

/**
 * One archive page in Atom, RSS (RFC 5005: fh:archive, rel="current", prev-archive / next-archive)
 * and JSON Feed (next_url to the next older page), items oldest first by publication. A page that
 * no longer grows (an older one, or a full one) gets the long cache lifetime.
 */
export function renderArchivePage(config: PublisherConfig, target: FeedTarget, feedBaseUrl: string, page: ArchivePage): RenderedDocument[] {
  const base = feedBaseUrl.replace(/\/+$/, '');
  const articles = [...page.articles].sort(oldestFirst);
  const settled = page.page < page.newestPage || articles.length >= config.archivePageSize;
  const cacheControl = (settled ? settledDocument : currentDocument)(config);
  return FEED_FORMAT_NAMES.map((format) => {
    const self = absoluteUrl(base, archivePagePath(target.basePath, format, page.page));
    const ctx = buildFeedContext(config, target.channel, base, articles, {
      basePath: target.basePath,
      idPath: `${target.key}/archive/${page.page}`,
      links: pageLinks(base, target, format, page),
      archive: true,
      selfUrl: { [format]: self },
      keepOrder: true,
      limit: articles.length,
    });
    return feedDocument(ctx, format, archivePagePath(target.basePath, format, page.page), target.channel.fullTextInPublicFeeds, cacheControl);
  });
}
