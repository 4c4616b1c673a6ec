import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentMediaDocuments } from '../../lambdas/core/content/index.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { localClients, uniqueName } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';
import { compareWithBaseline, RESULT_DIR } from './screenshots.js';

/**
 * The pages people read, in real headless Chromium (Debian's `chromium`, driven by playwright-core;
 * playwright never downloads a browser here): every page at phone and desktop width, compared with
 * committed screenshots, with no broken image, no sideways scroll and no dead local link; the
 * subscribe box (copy, open in a reader); and what a browser makes of the RSS and Atom documents.
 *
 * The tsconfig has no DOM lib: code running in the page uses the small structural types below.
 */
interface InPageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface InPageImage extends InPageElement {
  naturalWidth: number;
  clientWidth: number;
  currentSrc: string;
  loading: string;
  decode(): Promise<void>;
  closest(selector: string): { clientWidth: number } | null;
}
interface InPageDocument {
  contentType: string;
  documentElement: { localName: string };
  querySelector(selector: string): InPageElement | null;
  querySelectorAll(selector: string): Iterable<InPageElement>;
  images: Iterable<InPageImage>;
  scrollingElement: { scrollWidth: number };
  body: { innerText: string } | null;
}
interface InPageWindow {
  document: InPageDocument;
  innerWidth: number;
  navigator: { clipboard: { readText(): Promise<string> } };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = 90_000;
const WIDTHS = [390, 1280] as const;
const TAG = 'Russia Ukraine conflict';
const TAG_SLUG = 'russia-ukraine-conflict';

// Titles with characters that must survive escaping in HTML, XML and the XSLT output.
const STORIES = [
  { id: 'browser-geneva-talks', title: 'Ceasefire talks resume in Geneva', minutes: 0, updated: 95, withImage: true },
  { id: 'browser-grain-corridor', title: 'Kyiv & Odesa: “grain corridor” reopens — café owners react', minutes: 10, updated: 10, withImage: false },
  { id: 'browser-election-day', title: 'Élection day <live> in Santiago', minutes: 20, updated: 20, withImage: false },
];
const SECTIONS = [
  { slug: 'international', title: 'International', description: 'World news.' },
  { slug: 'business', title: 'Business', description: 'Markets and companies.' },
  { slug: 'science', title: 'Science', description: 'Research and discovery.' },
];
const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;
/** Every page a person reads: the index, each section's page, the tag feed's page. */
const PAGES = ['/feeds/index.html', ...SECTIONS.map((s) => `/feeds/${s.slug}/index.html`), `/feeds/tags/${TAG_SLUG}/index.html`];
const screenshotName = (path: string, width: number) => `${path.replace(/^\/feeds\//, '').replace(/\/?index\.html$/, '').replace(/\//g, '-') || 'index'}-${width}`;

/** A 1200×800 picture for the posted article image, served in place of the (unreachable) image host. */
const IMAGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
<rect width="1200" height="800" fill="#4a7ab0"/><circle cx="900" cy="220" r="120" fill="#f2d15c"/>
<path d="M0 620 L300 380 L560 600 L820 420 L1200 700 L1200 800 L0 800 Z" fill="#2f5d3a"/></svg>`;

describe('feed pages in headless Chromium', () => {
  let p: TestPublisher;
  let browser: Browser;
  const contexts = new Map<number, BrowserContext>();
  const consoleMessages: string[] = [];
  const externalRequests: string[] = [];

  const feedUrls = (slug: string) => FEED_FILES.map((f) => `${p.url}/feeds/${slug}/${f}`);

  async function open(path: string, width: number = 1280): Promise<{ page: Page; status: number | undefined; body: string }> {
    const page = await contexts.get(width)!.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (m: ConsoleMessage) => consoleMessages.push(`${path} [${m.type()}] ${m.text()}`));
    page.on('pageerror', (e: Error) => consoleMessages.push(`${path} [pageerror] ${e.message}`));
    const response = await page.goto(`${p.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
    return { page, status: response?.status(), body: (await response?.text()) ?? '' };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = join(RESULT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 30_000 });
    const { size } = await stat(file);
    expect(size, `${file} is empty`).toBeGreaterThan(1000);
  }

  beforeAll(async () => {
    const clients = localClients();
    const bucket = uniqueName('pages');
    p = await startTestPublisher({ clients, bucket, contentDir: 'content', config: testConfig({ tagFeeds: [{ tag: TAG }] }) });
    expect(p.contentReport.map((r) => r.result.status)).toEqual(['stored']);
    // What the deploy and `npm start` ship from content/media (see contentMediaDocuments).
    for (const doc of contentMediaDocuments('content')) {
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: doc.path, Body: doc.body, ContentType: doc.contentType }));
    }
    for (const s of STORIES) {
      const { status, json } = await p.post(
        articleRecord({
          id: s.id,
          title: s.title,
          summary: `Summary of “${s.title}”.`,
          tags: [TAG, 'Diplomacy'],
          authors: [{ name: 'Test Desk' }, { name: 'Ana Souza' }],
          publishedAt: at(s.minutes),
          updatedAt: at(s.updated),
          ...(!s.withImage && { image: undefined }),
        }),
      );
      expect(status).toBe(200);
      expect(json.results[0].status).toBe('stored');
    }
    await mkdir(RESULT_DIR, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--font-render-hinting=none'],
      timeout: TIMEOUT,
    });
    for (const width of WIDTHS) {
      const phone = width < 600;
      const context = await browser.newContext({
        viewport: { width, height: phone ? 844 : 900 },
        deviceScaleFactor: 1,
        isMobile: phone,
        hasTouch: phone,
        locale: 'en-US',
        colorScheme: 'light',
        reducedMotion: 'reduce',
      });
      // Nothing leaves this machine: the posted article's image host gets a local picture, anything else fails fast.
      await context.route(
        (url) => url.origin !== new URL(p.url).origin,
        (route) => {
          const url = route.request().url();
          if (url.startsWith('https://news.test.example/images/')) return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: IMAGE_SVG });
          externalRequests.push(url);
          return route.abort('addressunreachable');
        },
      );
      contexts.set(width, context);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await p?.close();
    if (consoleMessages.length) console.info(`browser console:\n${consoleMessages.join('\n')}`);
    if (externalRequests.length) console.info(`blocked external requests:\n${externalRequests.join('\n')}`);
  }, TIMEOUT);

  /** Links, stylesheets, images and alternates of the page that point at the local server. */
  async function localReferences(page: Page): Promise<string[]> {
    const refs = await page.$$eval('a[href], link[href], img[src]', (els: InPageElement[]) => els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
    const origin = new URL(p.url).origin;
    return [...new Set(refs.map((r) => new URL(r, page.url()).href.replace(/#.*$/, '')).filter((u) => new URL(u).origin === origin))].sort();
  }

  for (const path of PAGES) {
    for (const width of WIDTHS) {
      it(
        `${path} at ${width} px: looks as committed, images load, no sideways scroll, every local link resolves`,
        async () => {
          const { page, status } = await open(path, width);
          expect(status).toBe(200);
          // Lazy images below the fold load too, so that each one is checked.
          const images = await page.evaluate(async () => {
            const { document } = globalThis as unknown as InPageWindow;
            const all = [...document.images];
            for (const img of all) img.loading = 'eager';
            await Promise.all(all.map((img) => img.decode().catch(() => undefined)));
            return all.map((img) => ({ src: img.currentSrc, natural: img.naturalWidth, shown: img.clientWidth, column: img.closest('main')?.clientWidth ?? 0 }));
          });
          for (const img of images) {
            expect(img.natural, `broken image ${img.src}`).toBeGreaterThan(0);
            expect(img.shown, `${img.src} wider than the column`).toBeLessThanOrEqual(img.column);
          }
          const scroll = await page.evaluate(() => {
            const w = globalThis as unknown as InPageWindow;
            return { scrollWidth: w.document.scrollingElement.scrollWidth, innerWidth: w.innerWidth };
          });
          expect(scroll.scrollWidth, 'horizontal scroll').toBeLessThanOrEqual(scroll.innerWidth);

          const refs = await localReferences(page);
          expect(refs.length).toBeGreaterThan(3);
          const statuses = await Promise.all(refs.map(async (url) => `${(await fetch(url)).status} ${url}`));
          expect(statuses.filter((s) => !s.startsWith('2') && !s.startsWith('3'))).toEqual([]);

          // The feed addresses carry this run's port: masked, they are the only part that varies.
          const png = await page.screenshot({ fullPage: true, timeout: 30_000, mask: [page.locator('.feed-url')], maskColor: '#d0d4dc', animations: 'disabled', caret: 'hide' });
          const comparison = compareWithBaseline(screenshotName(path, width), png);
          expect(comparison.mismatch, comparison.name).toBeUndefined();
          await page.close();
        },
        TIMEOUT,
      );
    }
  }

  it(
    'index page: feeds grouped by kind under headings, compact format links, autodiscovery',
    async () => {
      const { page } = await open('/feeds/index.html');
      const groups = await page.$$eval('main section', (els: (InPageElement & { querySelector(s: string): InPageElement | null; querySelectorAll(s: string): Iterable<InPageElement> })[]) =>
        els.map((s) => ({ heading: s.querySelector('h2')?.textContent, feeds: [...s.querySelectorAll('h3')].map((h) => h.textContent) })),
      );
      expect(groups).toEqual([
        { heading: 'Sections', feeds: SECTIONS.map((s) => s.title) },
        { heading: 'Topics', feeds: [TAG] },
      ]);
      // No subscribe box per feed: each feed is one entry with its three formats as links.
      expect(await page.locator('.subscribe').count()).toBe(0);
      for (const s of SECTIONS) {
        await expect(page.getByText(s.description, { exact: true }).isVisible()).resolves.toBe(true);
        const formats = page.locator('li', { has: page.getByRole('heading', { name: s.title, exact: true }) }).locator('.formats a');
        await expect(formats.evaluateAll((els: InPageElement[]) => els.map((e) => e.getAttribute('href')))).resolves.toEqual(feedUrls(s.slug));
      }
      const links = await page.$$eval('link[rel=alternate]', (els: InPageElement[]) =>
        els.map((e) => ({ type: e.getAttribute('type'), href: e.getAttribute('href'), title: e.getAttribute('title') })),
      );
      for (const s of SECTIONS) {
        const [rss, atom, json] = feedUrls(s.slug);
        expect(links).toContainEqual({ type: 'application/rss+xml', href: rss, title: `${s.title} (RSS 2.0)` });
        expect(links).toContainEqual({ type: 'application/atom+xml', href: atom, title: `${s.title} (Atom 1.0)` });
        expect(links).toContainEqual({ type: 'application/feed+json', href: json, title: `${s.title} (JSON Feed 1.1)` });
      }
      expect(links).toContainEqual(expect.objectContaining({ type: 'text/x-opml', href: `${p.url}/feeds/index.opml` }));
      await page.getByRole('link', { name: 'International', exact: true }).click();
      await page.waitForURL(`${p.url}/feeds/international/index.html`);
      await expect(page.getByRole('link', { name: STORIES[0]!.title, exact: true }).isVisible()).resolves.toBe(true);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'section page: newest first, dates with zone and the updated mark, tags and archives linked, the shipped seed image',
    async () => {
      const { page } = await open('/feeds/international/index.html', 390);
      expect(await page.title()).toBe('International');
      const headings = await page.$$eval('main article h3', (els: InPageElement[]) => els.map((e) => e.textContent));
      const seedTitle = 'Putin Visits Kursk for First Time Since Russian Forces Reclaimed Region from Ukraine';
      expect(headings).toEqual([...[...STORIES].reverse().map((s) => s.title), seedTitle]);

      const geneva = page.locator(`article#${STORIES[0]!.id}`);
      const times = await geneva.locator('.meta time').evaluateAll((els: InPageElement[]) => els.map((e) => [e.getAttribute('datetime'), e.textContent]));
      expect(times).toEqual([
        [at(0), 'Jun 1, 2025, 00:00 UTC'],
        [at(95), 'Jun 1, 2025, 01:35 UTC'],
      ]);
      await expect(geneva.locator('.updated').textContent()).resolves.toBe('Updated Jun 1, 2025, 01:35 UTC');
      expect(await page.locator(`article#${STORIES[1]!.id} .updated`).count()).toBe(0);
      // The seed keeps the newsroom's own offset.
      const seed = page.locator('article#international-putin-kursk-visit');
      await expect(seed.locator('.meta time').first().textContent()).resolves.toBe('May 20, 2025, 12:00 UTC+05:30');

      // Tags link to their feed page where one is configured; the others are plain labels.
      const tags = await geneva.locator('.tags li > *').evaluateAll((els: InPageElement[]) => els.map((e) => [e.textContent, e.getAttribute('href')]));
      expect(tags).toEqual([
        [TAG, `${p.url}/feeds/tags/${TAG_SLUG}/index.html`],
        ['Diplomacy', null],
      ]);
      // Archives: the newest RFC 5005 archive page, as the feeds' prev-archive links say.
      const archive = await page.$$eval('.archive a', (els: InPageElement[]) => els.map((e) => e.getAttribute('href')));
      expect(archive).toEqual([`${p.url}/feeds/international/archive/atom-0.xml`, `${p.url}/feeds/international/archive/rss-0.xml`]);

      // The seed's lead image is the placeholder shipped in content/media, served by the feeds host.
      const image = await seed.locator('img').evaluate((e: InPageImage) => ({ src: e.currentSrc, alt: e.getAttribute('alt'), natural: e.naturalWidth }));
      expect(image).toEqual({ src: `${p.url}/media/international/putin-kursk-visit-placeholder.jpg`, alt: expect.stringContaining('Placeholder image'), natural: 1200 });
      const served = await fetch(image.src);
      expect(served.headers.get('content-type')).toBe('image/jpeg');

      // The full text opens in place.
      await seed.getByText('Read the story here').click();
      await expect(seed.getByText(/acting Governor Alexander Khinshtein/).isVisible()).resolves.toBe(true);
      await screenshot(page, 'international-390-story-open');
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'subscribe box: addresses are links, Copy puts them on the clipboard, one click opens them in a reader',
    async () => {
      const context = contexts.get(1280)!;
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(p.url).origin });
      const { page } = await open('/feeds/international/index.html');
      const box = page.getByRole('region', { name: 'How to subscribe' });
      const expected = feedUrls('international');
      const addresses = await box.locator('a.feed-url').evaluateAll((els: InPageElement[]) => els.map((e) => [e.getAttribute('href'), e.textContent]));
      expect(addresses).toEqual(expected.map((u) => [u, u]));
      for (const [i, label] of ['RSS 2.0', 'Atom 1.0', 'JSON Feed 1.1'].entries()) {
        const button = box.getByRole('button', { name: `Copy the ${label} address` });
        await button.click();
        await expect(button.textContent()).resolves.toBe('Copied');
        const copied = await page.evaluate(() => (globalThis as unknown as InPageWindow).navigator.clipboard.readText());
        expect(copied).toBe(expected[i]);
      }
      const rss = encodeURIComponent(expected[0]!);
      const readers = await box.locator('.readers a').evaluateAll((els: InPageElement[]) => els.map((e) => [e.textContent, e.getAttribute('href')]));
      expect(readers).toEqual([
        ['Open in your feed app', `feed:${expected[0]}`],
        ['Feedly', `https://feedly.com/i/subscription/feed%2F${rss}`],
        ['Inoreader', `https://www.inoreader.com/?add_feed=${rss}`],
        ['NewsBlur', `https://www.newsblur.com/?url=${rss}`],
        ['The Old Reader', `https://theoldreader.com/feeds/subscribe?url=${rss}`],
      ]);
      // Autodiscovery and the canonical link stay.
      const links = await page.$$eval('link[rel=alternate]', (els: InPageElement[]) => els.map((e) => e.getAttribute('href')));
      expect(links).toEqual(expected);
      await expect(page.$eval('link[rel=canonical]', (e: InPageElement) => e.getAttribute('href'))).resolves.toBe(`${p.url}/feeds/international/index.html`);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'without script the copy buttons stay hidden and the addresses are still there to select',
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${p.url}/feeds/international/index.html`);
      expect(await page.locator('button.copy').count()).toBe(3);
      expect(await page.locator('button.copy:visible').count()).toBe(0);
      expect(await page.locator('a.feed-url:visible').count()).toBe(3);
      await context.close();
    },
    TIMEOUT,
  );

  /** What the browser made of a feed document: the XSLT's page, the feed shown as plain text, or an XML document. */
  async function feedView(page: Page): Promise<{ kind: 'xslt' | 'text' | 'xml'; contentType: string; root: string; text: string }> {
    const view = await page.evaluate(() => {
      const { document } = globalThis as unknown as InPageWindow;
      return {
        root: document.documentElement.localName,
        contentType: document.contentType,
        transformed: document.querySelector('p.note') !== null,
        text: document.body?.innerText ?? (document.documentElement as unknown as InPageElement).textContent ?? '',
      };
    });
    const kind = view.transformed ? 'xslt' : view.contentType === 'text/plain' ? 'text' : 'xml';
    return { kind, contentType: view.contentType, root: view.root, text: view.text };
  }

  const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  /**
   * KNOWN DEFECT (lambdas/core/render/xslt.ts, reported, not ours to fix here): Atom titles are
   * `type="html"` (escaped HTML), and the stylesheet prints them with `xsl:value-of`, so the XSLT
   * view of atom.xml shows the markup source: "Kyiv &amp; Odesa", "&lt;live&gt;". RSS titles are
   * plain text and come out right. When the stylesheet is fixed, this returns `title` for both.
   */
  const xsltShownTitle = (file: string, title: string) => (file === 'atom.xml' ? escapeXml(title) : title);

  /** Whichever view the browser chose, the stories' titles are there for a person to read. */
  async function expectReadableFeed(page: Page, file: string, view: Awaited<ReturnType<typeof feedView>>): Promise<void> {
    if (view.kind === 'xslt') {
      expect(view.text).toContain('This is a web feed');
      await expect(page.getByRole('heading', { level: 1, name: 'International' }).isVisible()).resolves.toBe(true);
      for (const s of STORIES) {
        const shown = xsltShownTitle(file, s.title);
        await expect(page.getByRole('heading', { level: 2, name: shown, exact: true }).isVisible(), shown).resolves.toBe(true);
      }
      // It points people to the real page.
      const readable = page.getByRole('link', { name: 'Open the readable page' });
      await expect(readable.getAttribute('href')).resolves.toBe(`${p.url}/feeds/international/index.html`);
    } else if (view.kind === 'text') {
      // Shown as source text: the titles appear as written in the XML, escapes included.
      expect(view.text).toMatch(file === 'rss.xml' ? /<rss[\s>]/ : /<feed[\s>]/);
      for (const s of STORIES) expect(view.text).toContain(escapeXml(s.title));
    } else {
      // An XML document (tree view or unstyled): the feed's own root, titles as text.
      expect(view.root).toBe(file === 'rss.xml' ? 'rss' : 'feed');
      for (const s of STORIES) expect(view.text).toContain(s.title);
    }
  }

  for (const file of ['rss.xml', 'atom.xml'] as const) {
    it(
      `${file}: the XSLT view if this Chromium applies XSLT, otherwise the feed itself`,
      async () => {
        const { page, status, body } = await open(`/feeds/international/${file}`);
        expect(status).toBe(200);
        // Whatever the browser does with it, the feed itself is delivered intact with its stylesheet.
        expect(body).toMatch(/^<\?xml [^>]*\?>\s*<\?xml-stylesheet href="[^"]*\/feeds\/feed\.xsl" type="text\/xsl"\?>/);
        expect(body).toContain(`href="${p.url}/feeds/feed.xsl"`);
        for (const s of STORIES) expect(body).toContain(escapeXml(s.title));

        const view = await feedView(page);
        console.info(`${file} as served: Chromium shows ${view.kind} (document ${view.contentType}, root <${view.root}>)`);
        await expectReadableFeed(page, file, view);
        await screenshot(page, `feeds-international-${file.replace('.xml', '')}`);
        await page.close();
      },
      TIMEOUT,
    );

    // Chromium (156 here) shows application/rss+xml and application/atom+xml as plain text, so it
    // never runs their stylesheet; the same bytes as application/xml tell whether it still applies
    // XSLT at all, and what that view looks like.
    it(
      `${file} served as application/xml: the XSLT view if this Chromium applies XSLT, otherwise the XML document`,
      async () => {
        const page = await contexts.get(1280)!.newPage();
        page.setDefaultTimeout(30_000);
        page.on('console', (m: ConsoleMessage) => consoleMessages.push(`${file} as application/xml [${m.type()}] ${m.text()}`));
        const url = `${p.url}/feeds/international/${file}`;
        await page.route(url, async (route) => {
          const original = await route.fetch();
          await route.fulfill({ status: original.status(), contentType: 'application/xml; charset=utf-8', body: await original.text() });
        });
        const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
        expect(response?.status()).toBe(200);
        const view = await feedView(page);
        console.info(`${file} as application/xml: Chromium shows ${view.kind} (document ${view.contentType}, root <${view.root}>)`);
        expect(view.kind).not.toBe('text');
        await expectReadableFeed(page, file, view);
        await screenshot(page, `feeds-international-${file.replace('.xml', '')}-as-application-xml`);
        await page.close();
      },
      TIMEOUT,
    );
  }
});
