import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES, TIMEOUT, startBrowserFixture, type BrowserFixture, type InPageElement, type InPageWindow } from './harness.js';

/** What a browser makes of the RSS and Atom documents: the XSLT view where it still applies it, or the feed itself. */
describe('feed documents in headless Chromium', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await startBrowserFixture();
  }, 120_000);
  afterAll(() => f?.close(), TIMEOUT);

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

  /** Atom titles are plain text (`type="text"`) now, so the XSLT view shows them as written in both formats. */
  const xsltShownTitle = (_file: string, title: string) => title;

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
      await expect(readable.getAttribute('href')).resolves.toBe(`${f.p.url}/feeds/international/index.html`);
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
      `${file}: a browser gets the readable page, a feed reader the feed with its stylesheet`,
      async () => {
        // A browser navigation prefers text/html: it is sent to the feed's readable page.
        const { page, status } = await f.open(`/feeds/international/${file}`);
        expect(status).toBe(200);
        expect(page.url()).toBe(`${f.p.url}/feeds/international/index.html`);
        for (const s of STORIES) await expect(page.getByRole('heading', { level: 3, name: s.title, exact: true }).isVisible(), s.title).resolves.toBe(true);
        await page.close();
        // A feed reader asks for the feed and gets it intact, with its stylesheet.
        const response = await fetch(`${f.p.url}/feeds/international/${file}`, { headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' } });
        expect(response.status).toBe(200);
        const body = await response.text();
        expect(body).toMatch(/^<\?xml [^>]*\?>\s*<\?xml-stylesheet href="[^"]*\/feeds\/feed\.xsl" type="text\/xsl"\?>/);
        for (const s of STORIES) expect(body).toContain(escapeXml(s.title));
      },
      TIMEOUT,
    );

    // Chromium (156 here) shows application/rss+xml and application/atom+xml as plain text, so it
    // never runs their stylesheet; the same bytes as application/xml tell whether it still applies
    // XSLT at all, and what that view looks like.
    it(
      `${file} served as application/xml: the XSLT view if this Chromium applies XSLT, otherwise the XML document`,
      async () => {
        const page = await f.contexts.get(1280)!.newPage();
        page.setDefaultTimeout(30_000);
        page.on('console', (m: ConsoleMessage) => f.consoleMessages.push(`${file} as application/xml [${m.type()}] ${m.text()}`));
        const url = `${f.p.url}/feeds/international/${file}`;
        await page.route(url, async (route) => {
          // The feed as a reader asks for it (a browser's Accept would be sent to the page).
          const original = await route.fetch({ headers: { ...route.request().headers(), accept: 'application/xml' } });
          await route.fulfill({ status: original.status(), contentType: 'application/xml; charset=utf-8', body: await original.text() });
        });
        const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
        expect(response?.status()).toBe(200);
        const view = await feedView(page);
        expect(view.kind).not.toBe('text');
        await expectReadableFeed(page, file, view);
        await f.screenshot(page, `feeds-international-${file.replace('.xml', '')}-as-application-xml`);
        await page.close();
      },
      TIMEOUT,
    );
  }
});
