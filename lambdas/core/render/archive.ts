import type { Article } from '../article/index.js';
import type { PublisherConfig, SectionConfig } from '../config/index.js';
import { cacheControlFor } from '../publish/cachePolicy.js';
import { renderAtom } from './atom.js';
import { buildFeedContext, type FeedLink } from './context.js';
import type { RenderedDocument } from './renderSection.js';
import { renderRss } from './rss.js';

export type ArchiveFormat = 'atom' | 'rss';

const CONTENT_TYPES: Record<ArchiveFormat, string> = { atom: 'application/atom+xml; charset=utf-8', rss: 'application/rss+xml; charset=utf-8' };
const SUBSCRIPTION_FILES: Record<ArchiveFormat, string> = { atom: 'atom.xml', rss: 'rss.xml' };

/** Full archive pages no longer grow; they change only when one of their items is edited or retracted. */
export const FULL_ARCHIVE_PAGE_CACHE_CONTROL = cacheControlFor('fullArchivePage', { feedMaxAgeSeconds: 0 });

export function archivePagePath(basePath: string, format: ArchiveFormat, page: number): string {
  return `${basePath}/archive/${format}-${page}.xml`;
}

/** The subscription feed's link to the newest archive page, per format. */
export function prevArchiveLinks(baseUrl: string, basePath: string, newestPage: number | undefined): FeedLink[] {
  if (newestPage === undefined) return [];
  return (['atom', 'rss'] as const).map((format) => ({ rel: 'prev-archive', href: `${baseUrl}/${archivePagePath(basePath, format, newestPage)}`, format }));
}

export interface ArchivePage {
  page: number;
  newestPage: number;
  /** Oldest slot first. */
  articles: Article[];
}

/**
 * One RFC 5005 archive page in Atom and RSS: fh:archive, rel="current" to the subscription feed,
 * prev-archive / next-archive to its neighbours, items oldest first.
 */
export function renderArchivePage(config: PublisherConfig, section: SectionConfig, feedBaseUrl: string, basePath: string, page: ArchivePage): RenderedDocument[] {
  const base = feedBaseUrl.replace(/\/+$/, '');
  return (['atom', 'rss'] as const).map((format) => {
    const url = (p: number) => `${base}/${archivePagePath(basePath, format, p)}`;
    const links: FeedLink[] = [
      { rel: 'current', href: `${base}/${basePath}/${SUBSCRIPTION_FILES[format]}` },
      { rel: 'alternate', type: 'text/html', href: `${base}/${basePath}/index.html` },
      ...(page.page > 0 ? [{ rel: 'prev-archive', href: url(page.page - 1) }] : []),
      ...(page.page < page.newestPage ? [{ rel: 'next-archive', href: url(page.page + 1) }] : []),
    ];
    const ctx = buildFeedContext(config, section, base, page.articles, {
      basePath,
      idPath: `${basePath.replace(/^feeds\//, 'section/')}/archive/${page.page}`,
      links,
      archive: true,
      selfUrl: { [format]: url(page.page) },
      keepOrder: true,
      limit: page.articles.length,
    });
    const options = { fullText: section.fullTextInPublicFeeds };
    return {
      path: archivePagePath(basePath, format, page.page),
      contentType: CONTENT_TYPES[format],
      body: format === 'atom' ? renderAtom(ctx, options) : renderRss(ctx, options),
      ...(page.page < page.newestPage && { cacheControl: FULL_ARCHIVE_PAGE_CACHE_CONTROL }),
    };
  });
}
