import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at } from '../helpers/factories.js';
import {
  PAGES,
  SECTIONS,
  STORIES,
  TAG,
  TAG_SLUG,
  TIMEOUT,
  WIDTHS,
  screenshotName,
  startBrowserFixture,
  type BrowserFixture,
  type InPageElement,
  type InPageImage,
  type InPageWindow,
} from './harness.js';
import { compareWithBaseline } from './screenshots.js';

/**
 * The pages people read, in headless Chromium: every page at phone and desktop width, compared
 * with committed screenshots (test/browser/__screenshots__, UPDATE_SCREENSHOTS=1 rewrites them),
 * with no broken image, no sideways scroll and no dead local link; then the index's grouping, the
 * section page's stories, and the subscribe box (copy, open in a reader).
 */
describe('feed pages in headless Chromium', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await startBrowserFixture();
  }, 120_000);
  afterAll(() => f?.close(), TIMEOUT);

  /** Links, stylesheets, images and alternates of the page that point at the local server. */
  async function localReferences(page: Page): Promise<string[]> {
    const refs = await page.$$eval('a[href], link[href], img[src]', (els: InPageElement[]) => els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''));
    const origin = new URL(f.p.url).origin;
    return [...new Set(refs.map((r) => new URL(r, page.url()).href.replace(/#.*$/, '')).filter((u) => new URL(u).origin === origin))].sort();
  }

  for (const path of PAGES) {
    for (const width of WIDTHS) {
      it(
        `${path} at ${width} px: looks as committed, images load, no sideways scroll, every local link resolves`,
        async () => {
          const { page, status } = await f.open(path, width);
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
      const { page } = await f.open('/feeds/index.html');
      const groups = await page.$$eval('main section', (els: (InPageElement & { querySelector(s: string): InPageElement | null; querySelectorAll(s: string): Iterable<InPageElement> })[]) =>
        els.map((s) => ({ heading: s.querySelector('h2')?.textContent, feeds: [...s.querySelectorAll('h3')].map((h) => h.textContent) })),
      );
      // The configured tag feed leads its group; automatic tag and author feeds follow, by title.
      expect(groups.map((g) => g.heading)).toEqual(['Sections', 'Topics', 'Authors']);
      expect(groups[0]!.feeds).toEqual(SECTIONS.map((s) => s.title));
      expect(groups[1]!.feeds[0]).toBe(TAG);
      expect(groups[1]!.feeds).toContain('Diplomacy');
      expect(groups[2]!.feeds).toEqual(expect.arrayContaining(['Ana Souza', 'Test Desk']));
      // No subscribe box per feed: each feed is one entry with its three formats as links.
      expect(await page.locator('.subscribe').count()).toBe(0);
      for (const s of SECTIONS) {
        await expect(page.getByText(s.description, { exact: true }).isVisible()).resolves.toBe(true);
        const formats = page.locator('li', { has: page.getByRole('heading', { name: s.title, exact: true }) }).locator('.formats a');
        await expect(formats.evaluateAll((els: InPageElement[]) => els.map((e) => e.getAttribute('href')))).resolves.toEqual(f.feedUrls(s.slug));
      }
      const links = await page.$$eval('link[rel=alternate]', (els: InPageElement[]) =>
        els.map((e) => ({ type: e.getAttribute('type'), href: e.getAttribute('href'), title: e.getAttribute('title') })),
      );
      for (const s of SECTIONS) {
        const [rss, atom, json] = f.feedUrls(s.slug);
        expect(links).toContainEqual({ type: 'application/rss+xml', href: rss, title: `${s.title} (RSS 2.0)` });
        expect(links).toContainEqual({ type: 'application/atom+xml', href: atom, title: `${s.title} (Atom 1.0)` });
        expect(links).toContainEqual({ type: 'application/feed+json', href: json, title: `${s.title} (JSON Feed 1.1)` });
      }
      expect(links).toContainEqual(expect.objectContaining({ type: 'text/x-opml', href: `${f.p.url}/feeds/index.opml` }));
      await page.getByRole('link', { name: 'International', exact: true }).click();
      await page.waitForURL(`${f.p.url}/feeds/international/index.html`);
      await expect(page.getByRole('link', { name: STORIES[0]!.title, exact: true }).isVisible()).resolves.toBe(true);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'section page: newest first, dates with zone and the updated mark, tags and archives linked, the shipped seed image',
    async () => {
      const { page } = await f.open('/feeds/international/index.html', 390);
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

      // Every tag links to its feed page: the configured one and the automatic one alike.
      const tags = await geneva.locator('.tags li > *').evaluateAll((els: InPageElement[]) => els.map((e) => [e.textContent, e.getAttribute('href')]));
      expect(tags).toEqual([
        [TAG, `${f.p.url}/feeds/tags/${TAG_SLUG}/index.html`],
        ['Diplomacy', `${f.p.url}/feeds/tags/diplomacy/index.html`],
      ]);
      // The byline links each author to their (automatic) feed page.
      const byline = await geneva.locator('.meta a').evaluateAll((els: InPageElement[]) => els.map((e) => [e.textContent, e.getAttribute('href')]));
      expect(byline).toEqual([
        ['Test Desk', `${f.p.url}/feeds/authors/test-desk/index.html`],
        ['Ana Souza', `${f.p.url}/feeds/authors/ana-souza/index.html`],
      ]);
      // Archives: the newest RFC 5005 archive page, as the feeds' prev-archive links say.
      const archive = await page.$$eval('.archive a', (els: InPageElement[]) => els.map((e) => e.getAttribute('href')));
      expect(archive).toEqual([`${f.p.url}/feeds/international/archive/atom-0.xml`, `${f.p.url}/feeds/international/archive/rss-0.xml`]);

      // The seed's lead image is the placeholder shipped in content/media, served by the feeds host.
      const image = await seed.locator('img').evaluate((e: InPageImage) => ({ src: e.currentSrc, alt: e.getAttribute('alt'), natural: e.naturalWidth }));
      expect(image).toEqual({ src: `${f.p.url}/media/international/putin-kursk-visit-placeholder.jpg`, alt: expect.stringContaining('Placeholder image'), natural: 1200 });
      const served = await fetch(image.src);
      expect(served.headers.get('content-type')).toBe('image/jpeg');

      // The full text opens in place.
      await seed.getByText('Read the story here').click();
      await expect(seed.getByText(/acting Governor Alexander Khinshtein/).isVisible()).resolves.toBe(true);
      await f.screenshot(page, 'international-390-story-open');
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'subscribe box: addresses are links, Copy puts them on the clipboard, one click opens them in a reader',
    async () => {
      const context = f.contexts.get(1280)!;
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(f.p.url).origin });
      const { page } = await f.open('/feeds/international/index.html');
      const box = page.getByRole('region', { name: 'How to subscribe' });
      const expected = f.feedUrls('international');
      const addresses = await box.locator('a.feed-url').evaluateAll((els: InPageElement[]) => els.map((e) => [e.getAttribute('href'), e.textContent]));
      expect(addresses).toEqual(expected.map((u) => [u, u]));
      for (const [i, label] of ['RSS 2.0', 'Atom 1.0', 'JSON Feed 1.1'].entries()) {
        const button = box.getByRole('button', { name: `Copy the ${label} address` });
        await button.click();
        // The label changes once the asynchronous clipboard write has resolved.
        await expect.poll(() => button.textContent(), { timeout: 5_000 }).toBe('Copied');
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
      await expect(page.$eval('link[rel=canonical]', (e: InPageElement) => e.getAttribute('href'))).resolves.toBe(`${f.p.url}/feeds/international/index.html`);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'without script the copy buttons stay hidden and the addresses are still there to select',
    async () => {
      const context = await f.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${f.p.url}/feeds/international/index.html`);
      expect(await page.locator('button.copy').count()).toBe(3);
      expect(await page.locator('button.copy:visible').count()).toBe(0);
      expect(await page.locator('a.feed-url:visible').count()).toBe(3);
      await context.close();
    },
    TIMEOUT,
  );

});
