import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { buildFeedContext, renderAtom, renderFeedDocuments, renderJsonFeed, renderRss } from '../../lambdas/core/render/index.js';
import { renderFeedPage } from '../../lambdas/core/render/html.js';
import { articleToNinjs } from '../../lambdas/core/render/ninjs.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { parseWithFeedParser } from '../helpers/feedChecks.js';

const config = testConfig();
const section = config.sections[0]!;
const validator = new ArticleValidator(config);
const BASE = 'https://feeds.test.example';
const full = { fullText: true };

function article(overrides: Record<string, unknown> = {}): Article {
  const result = validator.parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

function errorsOf(record: unknown) {
  const result = validator.parse(record);
  if (result.ok) throw new Error('expected the record to be rejected');
  return Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

/** An Arabic story, an English one without a language of its own, a Brazilian Portuguese one. */
const mixed = () => [
  article({ id: 'arabic', language: 'ar', title: 'قمة في القاهرة', publishedAt: at(30), updatedAt: at(30) }),
  article({ id: 'english', publishedAt: at(20), updatedAt: at(20) }),
  article({ id: 'portuguese', language: 'pt-br', publishedAt: at(10), updatedAt: at(10) }),
];

/**
 * Each Atom entry's effective xml:lang as a namespace-aware XML parser resolves it (saxes, strict
 * XML 1.0): an attribute in the XML namespace on the entry, else inherited from the feed.
 */
function atomEntryLanguages(xml: string): Record<string, string | undefined> {
  const parser = new SaxesParser({ xmlns: true });
  const XML_NS = 'http://www.w3.org/XML/1998/namespace';
  const langs: (string | undefined)[] = [];
  const result: Record<string, string | undefined> = {};
  let inEntryId = false;
  parser.on('opentag', (tag) => {
    const own = Object.values(tag.attributes).find((a) => typeof a === 'object' && a.uri === XML_NS && a.local === 'lang');
    langs.push(own && typeof own === 'object' ? own.value : langs.at(-1));
    inEntryId = tag.local === 'id' && langs.length === 3;
  });
  parser.on('text', (text) => {
    if (inEntryId) result[text.replace(/^.*article\//, '')] = langs.at(-1);
  });
  parser.on('closetag', () => {
    langs.pop();
    inEntryId = false;
  });
  parser.write(xml).close();
  return result;
}

describe('the article language field', () => {
  it('is optional: a record without it stores no language, and its section language applies', () => {
    expect(article().language).toBeUndefined();
  });

  it('accepts a BCP 47 tag and stores its canonical form', () => {
    expect(article({ language: 'ar' }).language).toBe('ar');
    expect(article({ language: 'pt-br' }).language).toBe('pt-BR');
    expect(article({ language: 'zh-hant-tw' }).language).toBe('zh-Hant-TW');
    expect(article({ language: ' sr-Latn ' }).language).toBe('sr-Latn');
    // A deprecated code is replaced by its preferred value.
    expect(article({ language: 'iw' }).language).toBe('he');
  });

  it('refuses what is not a language tag, with one message an editor can act on', () => {
    const message = 'must be a BCP 47 language tag such as "en", "en-GB", "ar" or "zh-Hant"';
    for (const bad of ['', 'en_US', 'English', 'e', 'en-', '123', 'x'.repeat(65)]) {
      expect(errorsOf(articleRecord({ language: bad })), bad).toEqual({ language: message });
    }
    expect(errorsOf(articleRecord({ language: 42 }))).toEqual({ language: 'must be a language tag (a JSON string) such as "en" or "ar"' });
  });
});

describe('writers carry the article language', () => {
  const ctx = buildFeedContext(config, section, BASE, mixed());

  it('Atom: xml:lang on each entry whose language differs from the feed, as a namespace-aware parser resolves it', () => {
    const atom = renderAtom(ctx, full);
    expect(parseWithFeedParser(atom).language).toBe('en');
    expect(atomEntryLanguages(atom)).toEqual({ arabic: 'ar', english: 'en', portuguese: 'pt-BR' });
    expect(atom).toContain('<entry xml:lang="ar">');
    expect(atom).toContain('<entry>');
  });

  it('RSS keeps the one channel language', () => {
    const rss = renderRss(ctx, full);
    expect(parseWithFeedParser(rss).language).toBe('en');
    expect(rss).not.toContain('xml:lang');
    expect(rss.match(/<language>/g)).toHaveLength(1);
  });

  it('JSON Feed 1.1: each item its language, the feed the site language', () => {
    const feed = JSON.parse(renderJsonFeed(ctx, full)) as { language: string; items: { id: string; language: string }[] };
    expect(feed.language).toBe('en');
    expect(feed.items.map((i) => i.language)).toEqual(['ar', 'en', 'pt-BR']);
  });

  it('the feed page: lang on the story element where it differs from the page', () => {
    const html = renderFeedPage(ctx);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<article class="story" id="arabic" lang="ar">');
    expect(html).toContain('<article class="story" id="english">');
    expect(html).toContain('<article class="story" id="portuguese" lang="pt-BR">');
  });

  it('ninjs: each document its own language', () => {
    const [arabic, english] = mixed();
    expect(articleToNinjs(arabic!, ctx).language).toBe('ar');
    expect(articleToNinjs(english!, ctx).language).toBe('en');
  });

  it('a feed of articles without a language renders exactly as before the field existed', () => {
    const plain = [article({ id: 'p1', publishedAt: at(1), updatedAt: at(1) })];
    const withSiteLanguage = [{ ...plain[0]!, language: 'en' }];
    const target = sectionTarget(config, section.slug);
    const bodies = (list: Article[]) => renderFeedDocuments(config, target, BASE, list).map((d) => d.body);
    expect(bodies(withSiteLanguage)).toEqual(bodies(plain));
  });
});
