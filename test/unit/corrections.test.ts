import { describe, expect, it } from 'vitest';
import { ArticleValidator, modifiedAt, type Article } from '../../lambdas/core/article/index.js';
import { parseContentFile } from '../../lambdas/core/content/index.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { buildFeedContext, renderAtom, renderFeedDocuments, renderJsonFeed, renderRss } from '../../lambdas/core/render/index.js';
import { renderFeedPage } from '../../lambdas/core/render/html.js';
import { articleToNinjs } from '../../lambdas/core/render/ninjs.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { assertWellFormedXml, parseWithFeedParser, readerView } from '../helpers/feedChecks.js';
import { ninjsSchemaErrors } from '../helpers/ninjsSchema.js';

const config = testConfig();
const section = config.sections[0]!;
const validator = new ArticleValidator(config);
const BASE = 'https://feeds.test.example';
const full = { fullText: true };
const summaries = { fullText: false };

function article(overrides: Record<string, unknown> = {}, cfg = config): Article {
  const result = new ArticleValidator(cfg).parse(articleRecord(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.article;
}

function errorsOf(record: unknown): Record<string, string> {
  const result = validator.parse(record);
  if (result.ok) throw new Error('expected the record to be rejected');
  return Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

/** A story with two corrections; the second, at(70), is written in +05:30 and is later than updatedAt. */
const corrected = (overrides: Record<string, unknown> = {}, cfg = config) => {
  const record = {
    id: 'corrected-story',
    contentHtml: '<p>The full body.</p>',
    publishedAt: at(0),
    updatedAt: at(30),
    corrections: [
      { at: at(20), text: 'An earlier version gave the wrong year.' },
      { at: '2025-06-01T06:40:00+05:30', text: 'The minister is Ann Other, not A. N. Other.' },
    ],
    ...overrides,
  };
  return article(record, cfg);
};

const BLOCK_START = '<aside class="corrections"><h2>Corrections</h2>';

describe('the corrections field of the record', () => {
  it('is optional, kept oldest first, and an empty list is not stored', () => {
    const a = article({
      publishedAt: at(0),
      updatedAt: at(0),
      corrections: [
        { at: at(50), text: '  Second.  ' },
        { at: at(10), text: 'First.' },
      ],
    });
    expect(a.corrections).toEqual([
      { at: at(10), text: 'First.' },
      { at: at(50), text: 'Second.' },
    ]);
    expect(article({ corrections: [] })).not.toHaveProperty('corrections');
    expect(article()).not.toHaveProperty('corrections');
  });

  it('names each offending field with a message for an editor', () => {
    expect(errorsOf(articleRecord({ corrections: 'fixed a typo' }))).toEqual({ corrections: 'must be a list of corrections' });
    expect(errorsOf(articleRecord({ corrections: ['fixed a typo'] }))).toEqual({ 'corrections[0]': 'must be an object with at and text' });
    expect(errorsOf(articleRecord({ corrections: [{ text: 'No time.' }] }))).toEqual({ 'corrections[0].at': 'is required' });
    expect(errorsOf(articleRecord({ corrections: [{ at: '2025-05-21 10:00', text: 'x' }] }))).toEqual({
      'corrections[0].at': 'must be an ISO 8601 date-time with an offset, e.g. 2025-05-20T18:30:00+05:30',
    });
    expect(errorsOf(articleRecord({ corrections: [{ at: '2025-05-21T10:00:00Z', text: '   ' }] }))).toEqual({ 'corrections[0].text': 'must not be empty' });
    expect(errorsOf(articleRecord({ corrections: [{ at: '2025-05-21T10:00:00Z', text: 'x'.repeat(1001) }] }))).toEqual({ 'corrections[0].text': 'must be at most 1,000 characters' });
    expect(errorsOf(articleRecord({ corrections: [{ at: '2025-05-21T10:00:00Z', text: 'x', by: 'Desk' }] }))).toEqual({ 'corrections[0].by': 'is not a field of the article record' });
    const many = Array.from({ length: 21 }, (_, i) => ({ at: at(i), text: `Correction ${i}` }));
    expect(errorsOf(articleRecord({ publishedAt: at(0), updatedAt: at(0), corrections: many }))).toEqual({ corrections: 'must have at most 20 corrections' });
  });

  it('refuses a correction before publication, and only blames the correction', () => {
    const record = articleRecord({ publishedAt: '2025-05-20T12:00:00+05:30', updatedAt: '2025-05-20T12:00:00+05:30', corrections: [{ at: '2025-05-20T12:00:00+05:30', text: 'ok' }, { at: '2025-05-20T06:29:59Z', text: 'too early' }] });
    expect(errorsOf(record)).toEqual({ 'corrections[1].at': 'must not be before publishedAt' });
    // A broken publishedAt is reported once, on its own field.
    expect(errorsOf(articleRecord({ publishedAt: 'yesterday', corrections: [{ at: at(0), text: 'x' }] }))).toEqual({
      publishedAt: 'must be an ISO 8601 date-time with an offset, e.g. 2025-05-20T18:30:00+05:30',
    });
  });
});

describe('corrections in a content file', () => {
  it('come from the front matter, YAML timestamps included, and validate like the API record', () => {
    const md = [
      '---',
      'title: A corrected story',
      'summary: Short.',
      'url: https://news.test.example/stories/from-file',
      'section: International',
      'authors: [{ name: Test Desk }]',
      'publishedAt: 2025-05-20T12:00:00+05:30',
      'updatedAt: 2025-05-21T09:00:00+05:30',
      'corrections:',
      '  - at: 2025-05-21T09:00:00+05:30',
      "    text: 'The headline misspelt the town.'",
      '---',
      'Body.',
    ].join('\n');
    const result = validator.parse(parseContentFile('from-file.md', md));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.article.corrections).toEqual([{ at: '2025-05-21T03:30:00.000Z', text: 'The headline misspelt the town.' }]);
  });
});

describe('a correction moves the item updated time', () => {
  it('to the newest correction when it is later than updatedAt, in every format and the channel', () => {
    const a = corrected({ updatedAt: at(30) }); // the second correction is at(70)
    expect(modifiedAt(a)).toBe('2025-06-01T06:40:00+05:30');
    const newest = new Date(at(70)).toISOString();
    const ctx = buildFeedContext(config, section, BASE, [a]);
    expect(ctx.updated.toISOString()).toBe(newest);
    const atom = readerView(renderAtom(ctx, full));
    expect(atom.items[0]!.updated).toBe(newest);
    expect(atom.updated).toBe(newest);
    const rss = renderRss(ctx, full);
    expect(rss).toContain(`<atom:updated>${newest}</atom:updated>`);
    expect(readerView(rss).lastBuildDate).toBe(new Date(newest).toUTCString());
    const json = JSON.parse(renderJsonFeed(ctx, full));
    expect(json.items[0].date_modified).toBe(newest);
    expect(json._publisher.updated).toBe(newest);
    expect(articleToNinjs(a, ctx)).toMatchObject({ version: newest, versionCreated: newest, firstCreated: new Date(at(0)).toISOString() });
  });

  it('not when updatedAt is the later change', () => {
    const a = corrected({ updatedAt: at(90) });
    const later = new Date(at(90)).toISOString();
    const ctx = buildFeedContext(config, section, BASE, [a]);
    expect(readerView(renderAtom(ctx, full)).items[0]!.updated).toBe(later);
    expect(JSON.parse(renderJsonFeed(ctx, full)).items[0].date_modified).toBe(later);
  });
});

describe('each writer shows the corrections with the story', () => {
  const a = corrected();
  const ctx = buildFeedContext(config, section, BASE, [a]);
  const block =
    BLOCK_START +
    '<p><time datetime="2025-06-01T00:20:00.000Z">Jun 1, 2025, 00:20 UTC</time>: An earlier version gave the wrong year.</p>' +
    '<p><time datetime="2025-06-01T06:40:00+05:30">Jun 1, 2025, 06:40 UTC+05:30</time>: The minister is Ann Other, not A. N. Other.</p></aside>';

  it('as one marked block at the end of the full text: RSS content:encoded, Atom content, JSON Feed content_html', () => {
    const expected = `<p>The full body.</p>${block}`;
    for (const xml of [renderRss(ctx, full), renderAtom(ctx, full)]) {
      const item = parseWithFeedParser(xml).items[0]!;
      expect(item.content).toBe(expected);
      // The summary stays plain text.
      expect(item.description).toBe(a.summary);
    }
    expect(readerView(renderAtom(ctx, full)).items[0]).toMatchObject({ summaryType: 'text', contentType: 'html' });
    const json = JSON.parse(renderJsonFeed(ctx, full)).items[0];
    expect(json.content_html).toBe(expected);
    expect(json.summary).toBe(a.summary);
    expect(json._corrections).toEqual({
      items: [
        { at: '2025-06-01T00:20:00.000Z', text: 'An earlier version gave the wrong year.' },
        { at: '2025-06-01T01:10:00.000Z', text: 'The minister is Ann Other, not A. N. Other.' },
      ],
    });
  });

  it('also in summaries-only feeds: the summary and the block, never the full text', () => {
    const expected = `<p>${a.summary}</p>${block}`;
    for (const xml of [renderRss(ctx, summaries), renderAtom(ctx, summaries)]) {
      expect(parseWithFeedParser(xml).items[0]!.content).toBe(expected);
      expect(xml).not.toContain('The full body.');
    }
    const json = JSON.parse(renderJsonFeed(ctx, summaries)).items[0];
    expect(json.content_html).toBe(expected);
    expect(json).not.toHaveProperty('content_text');
  });

  it('leaves a story without corrections as it was', () => {
    const plain = article({ id: 'plain', contentHtml: '<p>Plain.</p>' });
    const plainCtx = buildFeedContext(config, section, BASE, [plain]);
    expect(parseWithFeedParser(renderAtom(plainCtx, full)).items[0]!.content).toBe('<p>Plain.</p>');
    expect(renderRss(plainCtx, summaries)).not.toContain('content:encoded');
    expect(JSON.parse(renderJsonFeed(plainCtx, summaries)).items[0]).toMatchObject({ content_text: plain.summary });
    expect(JSON.parse(renderJsonFeed(plainCtx, full)).items[0]).not.toHaveProperty('_corrections');
  });

  it('on the feed page: "Corrected" and the time in the meta line, the block after the story', () => {
    const html = renderFeedPage(ctx);
    expect(html).toContain('<span class="corrected">Corrected <time datetime="2025-06-01T06:40:00+05:30">Jun 1, 2025, 06:40 UTC+05:30</time></span>');
    // updatedAt (at(30)) is older than the newest correction: one "Corrected", no "Updated".
    expect(html).not.toContain('class="updated"');
    expect(html).toContain('<aside class="corrections"><h4>Corrections</h4><p><time datetime="2025-06-01T00:20:00.000Z">');
    const laterEdit = renderFeedPage(buildFeedContext(config, section, BASE, [corrected({ updatedAt: at(90) })]));
    expect(laterEdit).toContain('class="corrected">Corrected');
    expect(laterEdit).toContain('<span class="updated">Updated <time datetime="2025-06-01T01:30:00.000Z">');
  });

  it('in ninjs: the block in the main body, each correction as a description, valid against ninjs 3.1', () => {
    const ninjs = articleToNinjs(a, ctx);
    expect(ninjs.bodies).toEqual([{ role: 'main', contentType: 'text/html', value: `<p>The full body.</p>${block}` }]);
    expect(ninjs.descriptions).toEqual([
      { role: 'summary', contentType: 'text/plain', value: a.summary },
      { role: 'correction', contentType: 'text/plain', value: 'An earlier version gave the wrong year.' },
      { role: 'correction', contentType: 'text/plain', value: 'The minister is Ann Other, not A. N. Other.' },
    ]);
    expect(ninjsSchemaErrors(JSON.parse(JSON.stringify(ninjs)))).toEqual([]);
  });

  it('in partner feeds and ninjs of a summaries-only section, with the full text', () => {
    const summaryOnly = testConfig({ sections: [{ name: 'International', description: 'World news.', fullTextInPublicFeeds: false }] });
    const story = corrected({}, summaryOnly);
    const docs = new Map(renderFeedDocuments(summaryOnly, sectionTarget(summaryOnly, 'international'), BASE, [story]).map((d) => [d.path, d.body]));
    const contentOf = (path: string) => (path.endsWith('.json') ? JSON.parse(docs.get(path)!).items[0].content_html : parseWithFeedParser(docs.get(path)!).items[0]!.content);
    for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
      const publicContent = contentOf(`feeds/international/${file}`);
      expect(publicContent, file).toContain(`<p>${story.summary}</p>${BLOCK_START}`);
      expect(publicContent, file).not.toContain('The full body.');
      expect(contentOf(`partners/international/${file}`), file).toContain(`<p>The full body.</p>${BLOCK_START}`);
    }
    expect(docs.get('feeds/international/index.html')).toContain('class="corrected">Corrected');
    const ninjs = JSON.parse(docs.get('partners/international/ninjs/corrected-story.json')!);
    expect(ninjs.bodies[0].value).toContain('<p>The full body.</p><aside class="corrections">');
    expect(ninjsSchemaErrors(ninjs)).toEqual([]);
    expect(ninjsSchemaErrors(JSON.parse(docs.get('partners/international/ninjs.json')!))).toEqual([]);
  });
});

describe('hostile correction text', () => {
  const hostile = 'Fixed </aside><script>alert("x")</script> & <img src=x onerror=alert(1)> ]]> \u0001done';
  const a = corrected({ corrections: [{ at: at(5), text: hostile }] });
  const ctx = buildFeedContext(config, section, BASE, [a]);
  const escaped = 'Fixed &lt;/aside&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; ]]&gt; done';

  it('is stored as plain text, XML-invalid characters dropped', () => {
    expect(a.corrections).toEqual([{ at: at(5), text: 'Fixed </aside><script>alert("x")</script> & <img src=x onerror=alert(1)> ]]> done' }]);
  });

  it('is escaped in every format and the page, never markup; the feeds stay well-formed', () => {
    for (const options of [full, summaries]) {
      for (const xml of [renderRss(ctx, options), renderAtom(ctx, options)]) {
        // The bytes themselves (the npm parser decodes entities in the content it hands out).
        assertWellFormedXml(xml);
        expect(xml).toContain(`: ${escaped}</p></aside>]]>`);
        expect(xml).not.toMatch(/<script|<img/);
      }
      const json = JSON.parse(renderJsonFeed(ctx, options)).items[0];
      expect(json.content_html).toContain(escaped);
      expect(json.content_html).not.toMatch(/<script|<img/);
    }
    const html = renderFeedPage(ctx);
    expect(html).toContain(escaped);
    expect(html).not.toContain('<script>alert');
    expect(articleToNinjs(a, ctx).bodies[0]!.value).toContain(escaped);
  });
});
