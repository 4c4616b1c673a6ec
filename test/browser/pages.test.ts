import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleRecord, at } from '../helpers/factories.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/**
 * The human views of the feeds in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core; playwright never downloads a browser here): the index page, a section page,
 * and what a browser makes of the RSS and Atom documents (XSLT view where still supported).
 *
 * The tsconfig has no DOM lib: code running in the page uses the small structural types below.
 */
interface InPageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface InPageInput extends InPageElement {
  value: string;
  readOnly: boolean;
  selectionStart: number | null;
  selectionEnd: number | null;
}
interface InPageDocument {
  contentType: string;
  documentElement: { localName: string };
  querySelector(selector: string): InPageElement | null;
  body: { innerText: string } | null;
}
interface InPageWindow {
  document: InPageDocument;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = resolve('test-results/browser');
const TIMEOUT = 60_000;

// Titles with characters that must survive escaping in HTML, XML and the XSLT output.
const STORIES = [
  { id: 'browser-geneva-talks', title: 'Ceasefire talks resume in Geneva', minutes: 0, withImage: true },
  { id: 'browser-grain-corridor', title: 'Kyiv & Odesa: “grain corridor” reopens — café owners react', minutes: 10, withImage: false },
  { id: 'browser-election-day', title: 'Élection day <live> in Santiago', minutes: 20, withImage: false },
];
const SECTIONS = [
  { slug: 'international', title: 'International', description: 'World news.' },
  { slug: 'business', title: 'Business', description: 'Markets and companies.' },
  { slug: 'science', title: 'Science', description: 'Research and discovery.' },
];
const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;

/** A 1200×800 picture for the article image, served in place of the (unreachable) image host. */
const IMAGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
<rect width="1200" height="800" fill="#4a7ab0"/><circle cx="900" cy="220" r="120" fill="#f2d15c"/>
<path d="M0 620 L300 380 L560 600 L820 420 L1200 700 L1200 800 L0 800 Z" fill="#2f5d3a"/></svg>`;

describe('feed pages in headless Chromium', () => {
  let p: TestPublisher;
  let context: BrowserContext;
  let userDataDir: string;
  const consoleMessages: string[] = [];
  const externalRequests: string[] = [];

  const feedUrls = (slug: string) => FEED_FILES.map((f) => `${p.url}/feeds/${slug}/${f}`);

  async function open(path: string): Promise<{ page: Page; status: number | undefined; body: string }> {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (m: ConsoleMessage) => consoleMessages.push(`${path} [${m.type()}] ${m.text()}`));
    page.on('pageerror', (e: Error) => consoleMessages.push(`${path} [pageerror] ${e.message}`));
    const response = await page.goto(`${p.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
    return { page, status: response?.status(), body: (await response?.text()) ?? '' };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 30_000 });
    const { size } = await stat(file);
    expect(size, `${file} is empty`).toBeGreaterThan(1000);
  }

  beforeAll(async () => {
    p = await startTestPublisher();
    for (const s of STORIES) {
      const { status, json } = await p.post(
        articleRecord({
          id: s.id,
          title: s.title,
          summary: `Summary of “${s.title}”.`,
          publishedAt: at(s.minutes),
          updatedAt: at(s.minutes),
          ...(!s.withImage && { image: undefined }),
        }),
      );
      expect(status).toBe(200);
      expect(json.results[0].status).toBe('stored');
    }
    await mkdir(SCREENSHOTS, { recursive: true });
    userDataDir = await mkdtemp(join(tmpdir(), 'feed-pages-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1024, height: 768 },
      locale: 'en-US',
      timeout: TIMEOUT,
    });
    // Nothing leaves this machine: the article image host gets a local picture, anything else fails fast.
    await context.route(
      (url) => url.origin !== new URL(p.url).origin,
      (route) => {
        const url = route.request().url();
        if (url.startsWith('https://news.test.example/images/')) {
          return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: IMAGE_SVG });
        }
        externalRequests.push(url);
        return route.abort('addressunreachable');
      },
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    await p?.close();
    if (consoleMessages.length) console.info(`browser console:\n${consoleMessages.join('\n')}`);
    if (externalRequests.length) console.info(`blocked external requests:\n${externalRequests.join('\n')}`);
  }, TIMEOUT);

  it(
    'index page: every section, copyable absolute feed URLs, autodiscovery',
    async () => {
      const { page, status } = await open('/feeds/index.html');
      expect(status).toBe(200);
      for (const s of SECTIONS) {
        await expect(page.getByRole('heading', { level: 2, name: s.title, exact: true }).isVisible()).resolves.toBe(true);
        await expect(page.getByText(s.description, { exact: true }).isVisible()).resolves.toBe(true);
      }

      const inputs = await page.$$eval('input.feed-url', (els: InPageInput[]) => els.map((e) => ({ value: e.value, readOnly: e.readOnly })));
      expect(inputs).toEqual(SECTIONS.flatMap((s) => feedUrls(s.slug)).map((value) => ({ value, readOnly: true })));
      for (const { value } of inputs) expect(new URL(value).href).toBe(value);

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

      // The section headings lead to the section pages.
      await page.getByRole('link', { name: 'International', exact: true }).click();
      await page.waitForURL(`${p.url}/feeds/international/index.html`);
      await expect(page.getByText(STORIES[0]!.title, { exact: true }).isVisible()).resolves.toBe(true);
      await page.goBack();
      await screenshot(page, 'feeds-index');
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'section page: stories, subscribe box whose URLs select in full, autodiscovery',
    async () => {
      const { page, status } = await open('/feeds/international/index.html');
      expect(status).toBe(200);
      expect(await page.title()).toBe('International');
      await expect(page.getByRole('heading', { level: 1, name: 'International' }).isVisible()).resolves.toBe(true);
      for (const s of STORIES) {
        await expect(page.getByText(s.title, { exact: true }).isVisible(), s.title).resolves.toBe(true);
      }
      // Newest first.
      const headings = await page.$$eval('main article h3', (els: InPageElement[]) => els.map((e) => e.textContent));
      expect(headings).toEqual([...STORIES].reverse().map((s) => s.title));

      const box = page.getByRole('region', { name: 'How to subscribe' });
      await expect(box.isVisible()).resolves.toBe(true);
      const expected = feedUrls('international');
      const inputs = box.locator('input.feed-url');
      expect(await inputs.count()).toBe(3);
      for (const [i, label] of ['RSS 2.0', 'Atom 1.0', 'JSON Feed 1.1'].entries()) {
        // Each field is labelled by its format, and holds the absolute URL.
        await expect(page.getByLabel(label, { exact: true }).inputValue()).resolves.toBe(expected[i]);
        const input = inputs.nth(i);
        await expect(input.inputValue()).resolves.toBe(expected[i]);

        // A person selects the whole address (read-only, but selectable) to copy it.
        await input.focus();
        await page.keyboard.press('Control+A');
        const selection = await input.evaluate((e: InPageInput) => ({
          start: e.selectionStart,
          end: e.selectionEnd,
          text: e.value.slice(e.selectionStart ?? 0, e.selectionEnd ?? 0),
          readOnly: e.readOnly,
        }));
        expect(selection).toEqual({ start: 0, end: expected[i]!.length, text: expected[i], readOnly: true });
        // Typing into it changes nothing.
        await page.keyboard.type('x');
        await expect(input.inputValue()).resolves.toBe(expected[i]);
      }

      const links = await page.$$eval('link[rel=alternate]', (els: InPageElement[]) => els.map((e) => e.getAttribute('href')));
      expect(links).toEqual(expected);
      const canonical = await page.$eval('link[rel=canonical]', (e: InPageElement) => e.getAttribute('href'));
      expect(canonical).toBe(`${p.url}/feeds/international/index.html`);

      // The article image loaded (from the stand-in) and fits the column.
      const image = await page.$eval(
        'main article img',
        (e: InPageElement & { naturalWidth: number; clientWidth: number; closest(s: string): { clientWidth: number } | null }) => ({
          natural: e.naturalWidth,
          shown: e.clientWidth,
          column: e.closest('article')?.clientWidth ?? 0,
        }),
      );
      expect(image.natural).toBe(1200);
      expect(image.shown).toBeGreaterThan(0);
      expect(image.shown).toBeLessThanOrEqual(image.column);
      await screenshot(page, 'feeds-international');
      await page.close();
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

  /** Whichever view the browser chose, the stories' titles are there for a person to read. */
  async function expectReadableFeed(page: Page, file: string, view: Awaited<ReturnType<typeof feedView>>): Promise<void> {
    if (view.kind === 'xslt') {
      expect(view.text).toContain('This is a web feed');
      await expect(page.getByRole('heading', { level: 1, name: 'International' }).isVisible()).resolves.toBe(true);
      for (const s of STORIES) {
        // Atom titles are type="text", so the stylesheet's xsl:value-of shows them as written in both formats.
        await expect(page.getByRole('heading', { level: 2, name: s.title, exact: true }).isVisible(), s.title).resolves.toBe(true);
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
        const page = await context.newPage();
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
