import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundHubNotifier, type PingOptions } from '../../lambdas/core/publish/index.js';
import { createWebsubNotifyHandler } from '../../lambdas/handlers/websubNotify.js';
import { articleRecord, at, testConfig } from '../helpers/factories.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';
import { startTestPublisher, type TestPublisher } from '../helpers/testPublisher.js';

/** A WebSub hub on loopback that records publish pings; `hang` keeps requests open without answering. */
async function startHub(behaviour: 'ok' | 'hang' = 'ok') {
  const pings: URLSearchParams[] = [];
  const open: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pings.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      if (behaviour === 'hang') open.push(req);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`,
    pings,
    open,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const FAST: PingOptions = { timeoutMs: 500, attempts: 2, backoffMs: 10 };

describe('WebSub', () => {
  let hub: Awaited<ReturnType<typeof startHub>>;
  let p: TestPublisher;
  let notifier: BackgroundHubNotifier;
  beforeAll(async () => {
    hub = await startHub();
    const config = testConfig({ websubHubs: [hub.url] });
    notifier = new BackgroundHubNotifier(config.websubHubs, FAST);
    p = await startTestPublisher({ config, hubs: notifier });
    await notifier.idle();
  });
  afterAll(async () => {
    await p?.close();
    await hub?.close();
  });

  it('feeds advertise the hub and themselves', async () => {
    const { rss, atom } = await p.feeds('international');
    expect(atom).toContain(`<link rel="hub" href="${hub.url}"/>`);
    expect(atom).toContain(`<link rel="self" type="application/atom+xml" href="${p.url}/feeds/international/atom.xml"/>`);
    expect(rss).toContain(`<atom:link rel="hub" href="${hub.url}"/>`);
  });

  it('pings the hub exactly once per publish that changed feeds, naming each changed feed, and never for an unchanged one', async () => {
    hub.pings.length = 0;
    const record = articleRecord({ id: 'pushed', publishedAt: at(1), updatedAt: at(1) });
    await p.post(record);
    await notifier.idle();
    expect(hub.pings).toHaveLength(1);
    expect(hub.pings[0]!.get('hub.mode')).toBe('publish');
    expect(hub.pings[0]!.getAll('hub.url').sort()).toEqual(['atom.xml', 'feed.json', 'rss.xml'].map((f) => `${p.url}/feeds/international/${f}`));

    await p.post(record); // identical: nothing written, nothing pinged
    await p.regenerate({ Records: [] });
    await notifier.idle();
    expect(hub.pings).toHaveLength(1);
  });

  it('a dead or hanging hub neither fails nor holds up publishing', async () => {
    const hanging = await startHub('hang');
    const config = testConfig({ websubHubs: [hanging.url, 'http://127.0.0.1:9/refused'] });
    const slowNotifier = new BackgroundHubNotifier(config.websubHubs, { timeoutMs: 5_000, attempts: 1, backoffMs: 0 }, () => undefined);
    const q = await startTestPublisher({ config, hubs: slowNotifier });
    try {
      const { status, json } = await q.post(articleRecord({ id: 'despite-hub', publishedAt: at(2), updatedAt: at(2) }));
      expect(status).toBe(200);
      expect(json.results[0].status).toBe('stored');
      expect(await q.feedIds('international')).toEqual(['despite-hub']);
      // The publish is complete while the hub still has not answered.
      expect(hanging.open.length).toBeGreaterThan(0);
    } finally {
      await q.close();
      await hanging.close();
      await slowNotifier.idle();
    }
  });

  it('the deployed notifier function retries a message whose hub fails, and acknowledges one that got through', async () => {
    const handler = createWebsubNotifyHandler(() => [hub.url]);
    const message = (id: string) => ({ messageId: id, body: JSON.stringify({ topicUrls: ['https://feeds.test.example/feeds/x/rss.xml'] }) });
    const ok = await handler({ Records: [message('m1')] } as never);
    expect(ok).toEqual({ batchItemFailures: [] });
    const dead = createWebsubNotifyHandler(() => ['http://127.0.0.1:9/refused']);
    const logs = captureLogs();
    expect(await dead({ Records: [message('m2')] } as never)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expectLogged(logs, 'websub ping failed', { level: 'warn', topics: ['https://feeds.test.example/feeds/x/rss.xml'], errors: [{ message: expect.stringContaining('http://127.0.0.1:9/refused') }] });
  });
});
