import { absoluteUrl, PARTNER_PREFIX, SITE_PATHS } from '../urls.js';

/**
 * robots.txt of the feeds host: everything public may be crawled but the partner documents (which
 * answer 403 without a key anyway), and the news sitemap is named with its absolute URL.
 */
export function renderRobotsTxt(feedBaseUrl: string): string {
  return `User-agent: *\nDisallow: /${PARTNER_PREFIX}\n\nSitemap: ${absoluteUrl(feedBaseUrl, SITE_PATHS.newsSitemap)}\n`;
}
