import { SaxesParser } from 'saxes';
import { NEWS_SITEMAP_NAMESPACE, SITEMAP_NAMESPACE } from '../../lambdas/core/render/index.js';

export interface SitemapUrl {
  loc: string;
  name: string;
  language: string;
  date: string;
  title: string;
}

/**
 * The sitemap as a strict, namespace-aware XML parser reads it (saxes): the root must be the
 * sitemaps.org urlset, each url's news fields must be in the Google News namespace.
 */
export function parseSitemap(xml: string): SitemapUrl[] {
  const parser = new SaxesParser({ xmlns: true });
  const urls: SitemapUrl[] = [];
  const path: { uri: string; local: string }[] = [];
  let text = '';
  let failure: Error | undefined;
  parser.on('error', (e) => void (failure ??= e));
  parser.on('opentag', (tag) => {
    if (path.length === 0 && (tag.uri !== SITEMAP_NAMESPACE || tag.local !== 'urlset')) throw new Error(`root is {${tag.uri}}${tag.local}`);
    path.push({ uri: tag.uri ?? '', local: tag.local ?? '' });
    if (tag.uri === SITEMAP_NAMESPACE && tag.local === 'url') urls.push({ loc: '', name: '', language: '', date: '', title: '' });
    text = '';
  });
  parser.on('text', (t) => void (text += t));
  parser.on('closetag', () => {
    const { uri, local } = path.pop()!;
    const current = urls.at(-1);
    if (current && uri === SITEMAP_NAMESPACE && local === 'loc') current.loc = text;
    if (current && uri === NEWS_SITEMAP_NAMESPACE) {
      if (local === 'name') current.name = text;
      if (local === 'language') current.language = text;
      if (local === 'publication_date') current.date = text;
      if (local === 'title') current.title = text;
    }
    text = '';
  });
  parser.write(xml).close();
  if (failure) throw failure;
  return urls;
}
