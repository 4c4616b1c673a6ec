import { correctedAt } from '../../article/corrections.js';
import { escapeHtml } from '../../article/text.js';
import { articleLanguage } from '../../article/language.js';
import type { Article, ArticleAuthor } from '../../article/types.js';
import type { FeedContext } from '../context.js';
import { imageCreditAndRights } from '../imageRights.js';
import { correctionsBlock } from '../itemContent.js';
import { dateTimeText } from './dates.js';
import { attr, page } from './layout.js';
import { autodiscoveryLinks, subscribeBox } from './subscribe.js';
import { feedUrls } from '../../urls.js';

export interface FeedPageOptions {
  /**
   * The page of an author's feed, when that feed exists (author feeds are optional): the byline
   * links only the authors it answers for.
   */
  authorPageUrl?: (author: ArticleAuthor) => string | undefined;
}

interface StoryLinks {
  tagPage: (tag: string) => string | undefined;
  authorPage: (author: ArticleAuthor) => string | undefined;
}

function time(iso: string, language: string): string {
  return `<time datetime="${attr(iso)}">${escapeHtml(dateTimeText(iso, language))}</time>`;
}

const linkOrText = (text: string, href: string | undefined, className?: string) => {
  const cls = className ? ` class="${className}"` : '';
  return href ? `<a${cls} href="${attr(href)}">${escapeHtml(text)}</a>` : `<span${cls}>${escapeHtml(text)}</span>`;
};

function figure(ctx: FeedContext, article: Article, eager: boolean): string {
  const { image } = article;
  if (!image) return '';
  const size = `${image.width ? ` width="${image.width}"` : ''}${image.height ? ` height="${image.height}"` : ''}`;
  const { credit } = imageCreditAndRights(image, ctx.config);
  const caption = [image.caption, credit].filter(Boolean).join(' · ');
  return `<figure><img src="${attr(image.url)}" alt="${attr(image.alt)}"${size}${eager ? '' : ' loading="lazy"'}>${caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : ''}</figure>`;
}

function story(ctx: FeedContext, article: Article, links: StoryLinks, index: number): string {
  const language = ctx.config.language;
  const corrected = correctedAt(article);
  // "Corrected" and its time when the story has corrections; "Updated" only for a later change.
  const showUpdated = Date.parse(article.updatedAt) > Date.parse(article.publishedAt) && (corrected === undefined || Date.parse(article.updatedAt) > Date.parse(corrected));
  const updated =
    (corrected !== undefined ? ` · <span class="corrected">Corrected ${time(corrected, language)}</span>` : '') +
    (showUpdated ? ` · <span class="updated">Updated ${time(article.updatedAt, language)}</span>` : '');
  const byline = article.authors.map((a) => linkOrText(a.name, links.authorPage(a))).join(', ');
  const tags = article.tags.length ? `<ul class="tags" aria-label="Tags">${article.tags.map((t) => `<li>${linkOrText(t, links.tagPage(t), 'tag')}</li>`).join('')}</ul>` : '';
  const fullText = ctx.section.fullTextInPublicFeeds ? `<details><summary>Read the story here</summary><div class="body">${article.contentHtml}</div></details>` : '';
  const host = new URL(article.url).host;
  // The story's own language where it differs from the page's (which it inherits otherwise).
  const storyLanguage = articleLanguage(article, language);
  const lang = storyLanguage === language ? '' : ` lang="${attr(storyLanguage)}"`;
  return `<article class="story" id="${attr(article.id)}"${lang}>
<h3><a href="${attr(article.url)}">${escapeHtml(article.title)}</a></h3>
<p class="meta">${time(article.publishedAt, language)}${updated} · By ${byline}</p>
${figure(ctx, article, index === 0)}
<p class="summary">${escapeHtml(article.summary)}</p>
${fullText}
${correctionsBlock(article, language, 'h4')}
<p class="note"><a href="${attr(article.url)}">Read it on ${escapeHtml(host)}</a></p>
${tags}
</article>`;
}

/** Older stories: the RFC 5005 archive the subscription feed's prev-archive links start from. */
function archiveLinks(ctx: FeedContext): string {
  const prev = ctx.links.filter((l) => l.rel === 'prev-archive');
  if (prev.length === 0) return '';
  const label = { atom: 'Atom', rss: 'RSS', json: 'JSON Feed' } as const;
  const links = prev.map((l) => `<a href="${attr(l.href)}">${l.format ? label[l.format] : 'archive'}</a>`).join(' · ');
  return `<p class="archive">Older stories are in the archive feeds (for feed readers that page back through history): ${links}.</p>`;
}

/** The human page of a feed: its stories, how to subscribe, and autodiscovery for browsers and readers. */
export function renderFeedPage(ctx: FeedContext, options: FeedPageOptions = {}): string {
  const { config, section } = ctx;
  const urls = feedUrls(ctx.baseUrl, ctx.basePath);
  const tagSlugs = new Map(config.tagFeeds.map((t) => [t.tag, t.slug]));
  const links: StoryLinks = {
    tagPage: (tag) => {
      const slug = tagSlugs.get(tag);
      return slug === undefined ? undefined : `${ctx.baseUrl}/feeds/tags/${slug}/index.html`;
    },
    authorPage: options.authorPageUrl ?? (() => undefined),
  };
  const stories = ctx.articles.length ? ctx.articles.map((a, i) => story(ctx, a, links, i)).join('\n') : '<p>No stories yet.</p>';
  return page(
    config.language,
    section.title,
    `<link rel="canonical" href="${attr(ctx.pageUrl)}">\n${autodiscoveryLinks(section.title, urls)}`,
    `<header><p class="crumbs"><a href="${attr(`${ctx.baseUrl}/feeds/index.html`)}">All feeds of ${escapeHtml(config.siteTitle)}</a></p>
<h1>${escapeHtml(section.title)}</h1>
<p class="lede">${escapeHtml(section.description)}</p></header>
${subscribeBox(urls)}
<main><h2>Latest stories</h2>
${stories}
${archiveLinks(ctx)}</main>`,
  );
}
