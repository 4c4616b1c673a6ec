import type { S3Client } from '@aws-sdk/client-s3';
import { parseFeed } from '@rowanmanning/feed-parser';
import type { PublisherConfig } from '../../lambdas/core/config/index.js';
import { sectionTarget } from '../../lambdas/core/feeds/index.js';
import { newestArchivePage } from '../../lambdas/core/publish/index.js';
import { startLocalPublisher, type LocalPublisher, type LocalPublisherOptions } from '../../local/localPublisher.js';
import { testConfig } from './factories.js';
import { assertWellFormedXml } from './feedChecks.js';
import { localClients, uniqueName } from './localAws.js';

/** Counts S3 PutObject calls (by key) on a real client: instrumentation, not a mock. */
export function countPuts(s3: S3Client): string[] {
  const puts: string[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand') puts.push((args.input as { Key: string }).Key);
      return next(args);
    },
    { step: 'initialize', name: 'countPuts' },
  );
  return puts;
}

export interface TestPublisher extends LocalPublisher {
  puts: string[];
  config: PublisherConfig;
  tableName: string;
  bucket: string;
  post(body: unknown): Promise<{ status: number; json: any }>;
  retract(id: string): Promise<{ status: number; json: any }>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Item ids (article ids, not tag URIs) of a section's three feeds, checked to agree with each other. */
  feedIds(section: string): Promise<string[]>;
  feeds(section: string): Promise<{ rss: string; atom: string; json: any }>;
  /** Per section, the newest archive page as the section's state says (what its feeds link to). */
  newestArchivePages(): Promise<Record<string, number | undefined>>;
  /** Per section, the newest change that touched it (its state's newestChangeMs, the feeds' updated floor). */
  newestChanges(): Promise<Record<string, number | undefined>>;
}

/** The local publisher on the shared DynamoDB Local and s3rver, with its own table and bucket. */
export async function startTestPublisher(options: Partial<LocalPublisherOptions> = {}): Promise<TestPublisher> {
  const clients = options.clients ?? localClients();
  const puts = countPuts(clients.s3);
  const config = options.config ?? testConfig();
  const tableName = options.tableName ?? uniqueName('articles');
  const bucket = options.bucket ?? uniqueName('feeds');
  const publisher = await startLocalPublisher({
    config,
    clients,
    port: 0,
    ...options,
    tableName,
    bucket,
    poller: { batchingWindowMs: 20, pollIntervalMs: 10, retryDelayMs: 5, ...options.poller },
  });
  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${publisher.url}${path}`, {
      method,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, json: await res.json() };
  };
  const feeds = async (section: string) => {
    const text = async (file: string) => (await fetch(`${publisher.url}/feeds/${section}/${file}`)).text();
    const [rss, atom, json] = await Promise.all([text('rss.xml'), text('atom.xml'), text('feed.json')]);
    return { rss, atom, json: JSON.parse(json) };
  };
  const articleId = (tag: string | null | undefined) => String(tag).replace(/^.*:article\//, '');
  return {
    ...publisher,
    puts,
    config,
    tableName,
    bucket,
    post: (body) => request('POST', '/articles', body),
    retract: (id) => request('DELETE', `/articles/${id}`),
    get: (path, headers = {}) => fetch(`${publisher.url}${path}`, { headers }),
    feeds,
    async newestArchivePages() {
      const entries = await Promise.all(
        config.sections.map(async (s) => [s.slug, newestArchivePage((await publisher.publishingDeps.state.read(sectionTarget(config, s.slug).key)).archiveNext, config.archivePageSize)] as const),
      );
      return Object.fromEntries(entries);
    },
    async newestChanges() {
      const entries = await Promise.all(config.sections.map(async (s) => [s.slug, (await publisher.publishingDeps.state.read(sectionTarget(config, s.slug).key)).newestChangeMs] as const));
      return Object.fromEntries(entries);
    },
    async feedIds(section) {
      const { rss, atom, json } = await feeds(section);
      assertWellFormedXml(rss);
      assertWellFormedXml(atom);
      const fromRss = parseFeed(rss).items.map((i) => articleId(i.id));
      const fromAtom = parseFeed(atom).items.map((i) => articleId(i.id));
      const fromJson = (json.items as { id: string }[]).map((i) => articleId(i.id));
      if (JSON.stringify(fromRss) !== JSON.stringify(fromAtom) || JSON.stringify(fromRss) !== JSON.stringify(fromJson)) {
        throw new Error(`feeds disagree: rss ${fromRss} atom ${fromAtom} json ${fromJson}`);
      }
      return fromRss;
    },
  };
}
