import { describe, expect, it } from 'vitest';
import { ArticleValidator, type Article } from '../../lambdas/core/article/index.js';
import { buildFeedContext, renderAtom, renderJsonFeed, renderRss } from '../../lambdas/core/render/index.js';
import { cdata, escapeXmlAttribute, escapeXmlText } from '../../lambdas/core/render/xml.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { assertWellFormedXml, parseWithFeedParser, readerView } from '../helpers/feedChecks.js';
import { RICH_BASE, renderRichFixture, richArticles, richConfig } from '../helpers/richFixture.js';

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

describe('the XML writer', () => {
  it('escapes text, attributes and CDATA so that no input can end an element or section early', () => {
    expect(escapeXmlText('a & b < c > ]]>')).toBe('a &amp; b &lt; c &gt; ]]&gt;');
    expect(escapeXmlAttribute('x="1" & <y>\t\n')).toBe('x=&quot;1&quot; &amp; &lt;y&gt;&#9;&#10;');
    expect(cdata('a]]>b]]>')).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>');
    const xml = `<r a="${escapeXmlAttribute('"\'<&>')}">${escapeXmlText('</r>&')}${cdata(']]><x>')}</r>`;
    assertWellFormedXml(xml);
  });
});

describe('RSS and Atom writers', () => {
  it('link the site as home and the feed page as rel="related", never a second alternate', () => {
    const ctx = buildFeedContext(config, section, BASE, [article()], {
      links: [{ rel: 'alternate', type: 'text/html', href: `${BASE}/feeds/international/index.html` }, { rel: 'hub', href: 'https://hub.test.example/' }],
    });
    const rss = readerView(renderRss(ctx, full));
    const atom = readerView(renderAtom(ctx, full));
    expect(rss.homeLink).toBe('https://news.test.example/');
    expect(atom.homeLink).toBe('https://news.test.example/');
    expect(rss.links).toEqual([`hub https://hub.test.example/`, `related ${BASE}/feeds/international/index.html`, `self ${BASE}/feeds/international/rss.xml`]);
    expect(atom.links).toEqual(['alternate https://news.test.example/', `hub https://hub.test.example/`, `related ${BASE}/feeds/international/index.html`, `self ${BASE}/feeds/international/atom.xml`]);
  });

  it('write the lead image as an RSS enclosure and Atom enclosure link with the true type and the known length, and Media RSS with fileSize', () => {
    const a = article({ id: 'pic', image: { url: 'https://news.test.example/i/pic', type: 'image/webp', alt: 'Alt', caption: 'Cap', width: 10, height: 20, length: 4096 } });
    const ctx = buildFeedContext(config, section, BASE, [a]);
    const rss = renderRss(ctx, full);
    const atom = renderAtom(ctx, full);
    expect(readerView(rss).items[0]).toMatchObject({ enclosure: { url: 'https://news.test.example/i/pic', type: 'image/webp', length: '4096' }, media: { type: 'image/webp', width: '10', height: '20', alt: 'Alt', caption: 'Cap' } });
    expect(readerView(atom).items[0]).toMatchObject({ enclosure: { url: 'https://news.test.example/i/pic', type: 'image/webp', length: '4096' }, media: { alt: 'Alt' } });
    expect(rss).toContain('fileSize="4096"');
    expect(parseWithFeedParser(rss).items[0]!.media[0]).toMatchObject({ url: 'https://news.test.example/i/pic', mimeType: 'image/webp', length: 4096 });
    expect(JSON.parse(renderJsonFeed(ctx, full)).items[0]._image).toMatchObject({ url: 'https://news.test.example/i/pic', type: 'image/webp', size_in_bytes: 4096 });
  });

  it('declare only the namespaces of extensions that wrote something', () => {
    const plain = article({ id: 'plain', image: undefined });
    const ctx = buildFeedContext(config, section, BASE, [plain]);
    const rss = renderRss(ctx, full);
    const atom = renderAtom(ctx, full);
    expect(rss).not.toContain('xmlns:media');
    expect(rss).not.toContain('xmlns:fh');
    expect(rss).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    expect(atom).not.toMatch(/xmlns:(media|fh|dc)/);
    const withImage = buildFeedContext(config, section, BASE, [article()], { archive: true });
    expect(renderAtom(withImage, full)).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="en" xmlns:fh="[^"]+" xmlns:media="[^"]+">/);
    expect(renderAtom(withImage, full)).toContain('<fh:archive/>');
  });

  it('give the RSS channel pubDate and lastBuildDate, both the feed updated time', () => {
    const ctx = buildFeedContext(config, section, BASE, [article({ publishedAt: at(0), updatedAt: at(90) })]);
    const view = readerView(renderRss(ctx, full));
    expect(view.pubDate).toBe(new Date(at(90)).toUTCString());
    expect(view.lastBuildDate).toBe(new Date(at(90)).toUTCString());
  });

  it('drop XML-invalid characters from every string of the model once, in buildFeedContext', () => {
    const a = article({ id: 'dirty' });
    const dirty: Article = {
      ...a,
      summary: 'sum\u0001mary',
      contentHtml: '<p>bo\u0000dy\uFFFF</p>',
      authors: [{ name: 'Ann\u0008', url: 'https://news.test.example/ann' }],
      tags: ['t\u000Bag'],
      image: { ...a.image!, alt: 'a\u0002lt', caption: 'lone \uD800 surrogate' },
    };
    const ctx = buildFeedContext(config, section, BASE, [dirty]);
    expect(ctx.articles[0]).toMatchObject({ summary: 'summary', contentHtml: '<p>body</p>', authors: [{ name: 'Ann' }], tags: ['tag'], image: { alt: 'alt', caption: 'lone  surrogate' } });
    const clean = article({ id: 'clean' });
    expect(buildFeedContext(config, section, BASE, [clean]).articles[0]).toBe(clean);
    for (const xml of [renderRss(ctx, full), renderAtom(ctx, full)]) assertWellFormedXml(xml);
  });

  it('never let the channel updated time fall below updatedFloor (a retraction of the newest item)', () => {
    const older = article({ id: 'older', publishedAt: at(0), updatedAt: at(10) });
    const retractedAt = new Date(at(60));
    const ctx = buildFeedContext(config, section, BASE, [older], { updatedFloor: retractedAt });
    expect(ctx.updated).toEqual(retractedAt);
    expect(readerView(renderAtom(ctx, full)).updated).toBe(retractedAt.toISOString());
    expect(readerView(renderRss(ctx, full)).lastBuildDate).toBe(retractedAt.toUTCString());
    expect(JSON.parse(renderJsonFeed(ctx, full))._publisher.updated).toBe(retractedAt.toISOString());
    // A floor older than the newest item changes nothing.
    expect(buildFeedContext(config, section, BASE, [older], { updatedFloor: new Date(at(5)) }).updated).toEqual(new Date(at(10)));
    expect(buildFeedContext(config, section, BASE, [], { updatedFloor: retractedAt }).updated).toEqual(retractedAt);
  });

  it('render equal state to equal bytes', () => {
    const first = renderRichFixture();
    const second = renderRichFixture();
    expect(second).toEqual(first);
    const reversed = buildFeedContext(richConfig(), richConfig().sections[0]!, RICH_BASE, [...richArticles()].reverse(), { basePath: 'feeds/international' });
    const forward = buildFeedContext(richConfig(), richConfig().sections[0]!, RICH_BASE, richArticles(), { basePath: 'feeds/international' });
    expect(renderRss(reversed, full)).toBe(renderRss(forward, full));
    expect(renderAtom(reversed, full)).toBe(renderAtom(forward, full));
  });
});
