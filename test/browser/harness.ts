import { appendFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { contentMediaDocuments } from '../../lambdas/core/content/index.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { localClients, uniqueName } from '../helpers/localAws.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';
import { RESULT_DIR } from './screenshots.js';

/**
 * What the browser tests share: the local publisher with content/ (and its media) and a few posted
 * stories, and headless Chromium (Debian's `chromium`, driven by playwright-core; playwright never
 * downloads a browser here) with one context per page width. Nothing leaves this machine.
 *
 * The tsconfig has no DOM lib: code running in the page uses the small structural types below.
 */
export interface InPageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
export interface InPageImage extends InPageElement {
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
export interface InPageWindow {
  document: InPageDocument;
  innerWidth: number;
  navigator: { clipboard: { readText(): Promise<string> } };
}


const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TIMEOUT = 90_000;
export const WIDTHS = [390, 1280] as const;
export const TAG = 'Russia Ukraine conflict';
export const TAG_SLUG = 'russia-ukraine-conflict';

// Titles with characters that must survive escaping in HTML, XML and the XSLT output.
export const STORIES = [
  { id: 'browser-geneva-talks', title: 'Ceasefire talks resume in Geneva', minutes: 0, updated: 95, withImage: true },
  { id: 'browser-grain-corridor', title: 'Kyiv & Odesa: “grain corridor” reopens — café owners react', minutes: 10, updated: 10, withImage: false },
  { id: 'browser-election-day', title: 'Élection day <live> in Santiago', minutes: 20, updated: 20, withImage: false },
];
export const SECTIONS = [
  { slug: 'international', title: 'International', description: 'World news.' },
  { slug: 'business', title: 'Business', description: 'Markets and companies.' },
  { slug: 'science', title: 'Science', description: 'Research and discovery.' },
];
const FEED_FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;
/** Every page a person reads: the index, each section's page, a tag feed's page, an (automatic) author feed's page. */
export const PAGES = ['/feeds/index.html', ...SECTIONS.map((s) => `/feeds/${s.slug}/index.html`), `/feeds/tags/${TAG_SLUG}/index.html`, '/feeds/authors/ana-souza/index.html'];
export const screenshotName = (path: string, width: number) => `${path.replace(/^\/feeds\//, '').replace(/\/?index\.html$/, '').replace(/\//g, '-') || 'index'}-${width}`;

/** A 1200×800 picture for the posted article image, served in place of the (unreachable) image host. */
const IMAGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
<rect width="1200" height="800" fill="#4a7ab0"/><circle cx="900" cy="220" r="120" fill="#f2d15c"/>
<path d="M0 620 L300 380 L560 600 L820 420 L1200 700 L1200 800 L0 800 Z" fill="#2f5d3a"/></svg>`;

export interface BrowserFixture {
  p: TestPublisher;
  browser: Browser;
  contexts: Map<number, BrowserContext>;
  consoleMessages: string[];
  feedUrls(slug: string): string[];
  open(path: string, width?: number): Promise<{ page: Page; status: number | undefined; body: string }>;
  /** A full-page screenshot under test-results/browser (not compared: for people to look at). */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserFixture(): Promise<BrowserFixture> {
  let p: TestPublisher;
  let browser: Browser;
  const contexts = new Map<number, BrowserContext>();
  const consoleMessages: string[] = [];
  const externalRequests: string[] = [];
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

  return {
    p,
    browser,
    contexts,
    consoleMessages,
    feedUrls: (slug) => FEED_FILES.map((f) => `${p.url}/feeds/${slug}/${f}`),
    async open(path, width = 1280) {
      const page = await contexts.get(width)!.newPage();
      page.setDefaultTimeout(30_000);
      page.on('console', (m: ConsoleMessage) => consoleMessages.push(`${path} [${m.type()}] ${m.text()}`));
      page.on('pageerror', (e: Error) => consoleMessages.push(`${path} [pageerror] ${e.message}`));
      const response = await page.goto(`${p.url}${path}`, { waitUntil: 'load', timeout: 30_000 });
      return { page, status: response?.status(), body: (await response?.text()) ?? '' };
    },
    async screenshot(page, name) {
      const file = join(RESULT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 30_000 });
      const { size } = await stat(file);
      expect(size, `${file} is empty`).toBeGreaterThan(1000);
    },
    async close() {
      await browser?.close().catch(() => undefined);
      await p?.close();
      // Kept beside the screenshots, not printed: a green run prints only vitest's report.
      const report = [`browser console:`, ...consoleMessages, `blocked external requests:`, ...externalRequests].join('\n');
      await appendFile(join(RESULT_DIR, 'browser-console.txt'), `${report}\n`);
    },
  };
}
