import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lambdas/core/config/index.js';
import { loadStackConfiguration } from '../../../lib/config/context.js';
import { ContentError } from '../../../lib/content/validateContentFolder.js';
import { cdkJsonContext, synthPublisherStack } from './synthStack.js';

const configOf = (context: Record<string, unknown>) => loadStackConfiguration(new App({ context: { ...cdkJsonContext(), ...context } }).node);

describe('stack configuration from context', () => {
  it('uses cdk.json: the publisher configuration the local run uses, deploy defaults', () => {
    const { publisher, deploy } = configOf({});
    expect(publisher.sections.map((s) => s.slug)).toEqual(['international']);
    expect(deploy).toMatchObject({ logRetentionDays: 30, cdnInvalidation: { enabled: false, monthlyPathBudget: 1000 }, reservedConcurrency: { ingest: 10, contentInbox: 2, webSub: 2 }, serializeRegeneration: false, ingestThrottle: { rateLimit: 50, burstLimit: 100 } });
  });

  it('accepts -c deploy=\'{json}\' and -c deploy.key=value (nested, JSON-typed)', () => {
    expect(configOf({ deploy: '{"logRetentionDays":7,"cdnInvalidation":{"enabled":true},"reservedConcurrency":false}' }).deploy).toMatchObject({ logRetentionDays: 7, cdnInvalidation: { enabled: true, monthlyPathBudget: 1000 }, reservedConcurrency: false });
    const { deploy } = configOf({ deploy: { logRetentionDays: 14 }, 'deploy.alarmEmail': 'ops@news.example.org', 'deploy.regeneration.retryAttempts': '2' });
    expect(deploy).toMatchObject({ logRetentionDays: 14, alarmEmail: 'ops@news.example.org', regeneration: { retryAttempts: 2, batchingWindowSeconds: 5 } });
  });

  it('turns automatic tag or author feeds off or limits them from cdk.json or -c publisher.automaticFeeds…', () => {
    expect(configOf({}).publisher.automaticFeeds).toMatchObject({ tags: { enabled: true, minArticles: 1 }, authors: { enabled: true, minArticles: 1 } });
    const { publisher } = configOf({ 'publisher.automaticFeeds.authors.enabled': 'false', 'publisher.automaticFeeds.tags.minArticles': '3' });
    expect(publisher.automaticFeeds).toMatchObject({ tags: { enabled: true, minArticles: 3 }, authors: { enabled: false } });
  });

  it('names each bad key of the deploy configuration', () => {
    const attempt = () => configOf({ deploy: { logRetentionDays: 8, alarmEmail: 'nope', regeneration: { batchingWindowSeconds: 301 }, alarmMail: 'x' } });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('deploy.logRetentionDays: must be one of 1, 3, 5, 7, 14');
    expect(message).toContain('deploy.alarmEmail: must be an e-mail address');
    expect(message).toContain('deploy.regeneration.batchingWindowSeconds');
    expect(message).toMatch(/deploy: .*alarmMail/);
  });

  it('names each bad key of the publisher configuration', () => {
    expect(() => configOf({ 'publisher.siteUrl': 'http://insecure.example.org' })).toThrow(/publisher\.siteUrl: must be an absolute https:\/\/ URL/);
    expect(() => configOf({ publisher: '{"siteTitle":""}' })).toThrow(/publisher\.siteTitle/);
  });

  it('a custom domain needs a us-east-1 certificate', () => {
    expect(() =>
      configOf({ deploy: { customDomain: { domainNames: ['feeds.example.org'], certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } } }),
    ).toThrow(/deploy\.customDomain\.certificateArn: must be an ACM certificate ARN in us-east-1/);
  });
});

describe('synth fails loudly', () => {
  it('on a bad content file, naming the file and each bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'content-'));
    writeFileSync(join(dir, 'good-one.json'), JSON.stringify(goodRecord('good-one')));
    writeFileSync(join(dir, 'bad-one.md'), '---\ntitle: ""\nsection: Nowhere\n---\nBody\n');
    writeFileSync(join(dir, 'other-id.json'), JSON.stringify({ ...goodRecord('other-id'), id: 'not-the-file-name' }));
    let error: unknown;
    try {
      synthPublisherStack({ contentDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    const message = (error as Error).message;
    expect(message).toMatch(/bad-one\.md: .*title/);
    expect(message).toMatch(/bad-one\.md: .*section/);
    expect(message).toMatch(/other-id\.json: id: must equal the file name "other-id"/);
    expect(message).not.toContain('good-one');
  });

  it('`bin/app.ts` with a bad -c value exits non-zero and names the key', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: {
        ...process.env,
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'cdk-out-')),
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'deploy.logRetentionDays': '8' }),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('deploy.logRetentionDays: must be one of');
  });
});

function goodRecord(id: string): Record<string, unknown> {
  return {
    id,
    title: 'A title',
    summary: 'A summary.',
    contentHtml: '<p>Body</p>',
    url: `https://news.example.org/international/${id}`,
    section: 'International',
    authors: [{ name: 'Desk' }],
    tags: [],
    publishedAt: '2025-05-20T12:00:00+05:30',
    updatedAt: '2025-05-20T12:00:00+05:30',
    status: 'published',
  };
}
