import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, S3Event } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { ENV, INBOX_PREFIX } from '../../lambdas/core/contracts/index.js';
import type { createContentInboxHandler } from '../../lambdas/handlers/contentInbox.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/localAws.js';
import { articleRecord, httpApiEvent, testConfig } from '../helpers/factories.js';
import { createTestBucket, createTestTable, localClients } from '../helpers/localAws.js';
import { BUNDLE_MAX_BYTES } from '../../lib/constructs/lambdaBundling.js';
import { buildPublisherApp } from '../unit/stack/synthStack.js';

/** Function construct path -> directory of its bundled asset in the cloud assembly. */
function bundleDirs(): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundle-'));
  // With a WebSub hub, so that the WebSub notifier is bundled (and checked) too.
  // The CDK announces each asset on stderr while it bundles ("Bundling asset …"): expected here, so
  // kept off the test report; anything else on stderr is still shown.
  const announced: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    /^Bundling asset \S+\.\.\.\n$/.test(String(chunk)) ? (announced.push(String(chunk)), true) : write(chunk, ...rest)) as typeof process.stderr.write;
  let built: ReturnType<typeof buildPublisherApp>;
  let assembly: ReturnType<ReturnType<typeof buildPublisherApp>['app']['synth']>;
  try {
    built = buildPublisherApp({ bundle: true, outdir, context: { 'publisher.websubHubs': ['https://pubsubhubbub.appspot.com/'] } });
    assembly = built.app.synth();
  } finally {
    process.stderr.write = write;
  }
  expect(announced).toHaveLength(5);
  const { stack } = built;
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
  const dirs: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const path = resource.Metadata?.['aws:asset:path'];
    // Our handlers; CDK's own providers (AWSCDK…) ship CDK's code.
    if (resource.Type === 'AWS::Lambda::Function' && path && /Handler/.test(id) && !id.startsWith('AWSCDK')) dirs[id] = join(assembly.directory, path);
  }
  return dirs;
}

describe('NodejsFunction bundles (local esbuild, ESM, minified, source maps)', () => {
  let dirs: Record<string, string>;

  beforeAll(() => {
    dirs = bundleDirs();
  }, 120_000);

  it('bundles the five handlers, each loadable by Node as ESM with its source map', async () => {
    expect(Object.keys(dirs).sort()).toEqual([
      expect.stringMatching(/^BackfillHandler/),
      expect.stringMatching(/^ContentHandler/),
      expect.stringMatching(/^IngestHandler/),
      expect.stringMatching(/^RegenerationHandler/),
      expect.stringMatching(/^WebSubHandler/),
    ]);
    for (const dir of Object.values(dirs)) {
      const module = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler?: unknown };
      expect(typeof module.handler, dir).toBe('function');
      await expect(import('node:fs/promises').then((fs) => fs.access(join(dir, 'index.mjs.map')))).resolves.toBeUndefined();
    }
    // Importing four minified bundles (five now) took over 30 s once on a loaded 2-core machine.
  }, 60_000);

  it('keeps every bundle small (issue 14): under 600 KiB, the content inbox (markdown, YAML front matter, S3 reads) included, none near the 1 MB ceiling', () => {
    const sizes = Object.entries(dirs).map(([id, dir]) => ({ id, bytes: statSync(join(dir, 'index.mjs')).size }));
    expect(sizes.filter((s) => s.bytes >= BUNDLE_MAX_BYTES).map((s) => `${s.id}: ${Math.round(s.bytes / 1024)} KiB`)).toEqual([]);
    expect(Math.max(...sizes.map((s) => s.bytes))).toBeLessThan(1024 * 1024);
    // The regeneration bundle renders and writes only: no schema library, no sanitizer, no CloudFront SDK client.
    const regeneration = Object.entries(dirs).find(([id]) => id.startsWith('RegenerationHandler'))![1];
    const map = JSON.parse(readFileSync(join(regeneration, 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources.filter((s) => /node_modules\/(zod|sanitize-html|htmlparser2|postcss|@aws-sdk\/client-cloudfront|@aws-sdk\/credential-provider-sso)\//.test(s))).toEqual([]);
    expect(map.sourcesContent).toBeUndefined();
    // The stand-ins of lambdaBundling.ts replace what they stand for in the record-reading bundles;
    // the content inbox reads S3 with two signed calls, not the S3 client.
    const content = Object.entries(dirs).find(([id]) => id.startsWith('ContentHandler'))![1];
    const contentSources = (JSON.parse(readFileSync(join(content, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources;
    expect(contentSources.filter((s) => /node_modules\/(dom-serializer|domutils|domhandler|dayjs|postcss|zod\/v4\/classic|@aws-sdk\/client-s3)\/|js-yaml\/lib\/js-yaml\/dumper\.js/.test(s))).toEqual([]);
    expect(contentSources.filter((s) => /node_modules\/(htmlparser2|marked|zod\/v4\/mini)\/|js-yaml\/lib\/js-yaml\/loader\.js/.test(s)).length).toBeGreaterThanOrEqual(4);
  });

  it('the bundled ingest handler stores a record in DynamoDB Local (CommonJS deps work under the createRequire banner)', async () => {
    const { dynamo } = localClients();
    const { tableName } = await createTestTable(dynamo, 'bundle');
    const saved = { ...process.env };
    Object.assign(process.env, {
      [ENV.tableName]: tableName,
      [ENV.publisherConfig]: JSON.stringify(testConfig()),
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    try {
      const dir = Object.entries(dirs).find(([id]) => id.startsWith('IngestHandler'))![1];
      const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
        handler: (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
      };
      const response = await handler(httpApiEvent('POST', '/articles', articleRecord({ id: 'bundled-story', contentHtml: '<p>ok</p><script>x</script>' })));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body as string).results).toEqual([{ index: 0, id: 'bundled-story', status: 'stored' }]);
    } finally {
      process.env = saved;
      dynamo.destroy();
    }
  });

  it('the bundled content inbox reads a Markdown file with YAML front matter from S3 into an article (the YAML and HTML parser stand-ins at work)', async () => {
    const clients = localClients();
    const saved = { ...process.env };
    try {
      const { tableName } = await createTestTable(clients.dynamo, 'bundle-inbox');
      const bucket = await createTestBucket(clients.s3, 'bundle-inbox');
      const store = new DynamoArticleRepository(clients.dynamo, tableName);
      const dir = Object.entries(dirs).find(([id]) => id.startsWith('ContentHandler'))![1];
      // The bundle's own handler, built from its environment as on Lambda: the signed S3 reads
      // (GetObject, HeadObject without the S3 client) and the credential stand-in at work.
      Object.assign(process.env, {
        [ENV.tableName]: tableName,
        [ENV.publisherConfig]: JSON.stringify(testConfig()),
        [ENV.feedBaseUrl]: 'https://feeds.test.example',
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
        AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      });
      const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: ReturnType<typeof createContentInboxHandler> };
      const key = `${INBOX_PREFIX}bundled-inbox-story.md`;
      const file = [
        '---',
        'title: From the bundle',
        'summary: Front matter read by the bundled YAML loader.',
        'url: https://news.test.example/international/bundled-inbox-story',
        'section: International',
        'authors:',
        '  - name: Test Desk',
        'tags: [Inbox, Bundles]',
        // Unquoted: a YAML timestamp (a Date), which the record carries as an ISO string.
        'publishedAt: 2025-05-20T12:00:00+05:30',
        'updatedAt: 2025-05-20T12:00:00+05:30',
        '---',
        'The **body**, with a [link](https://news.test.example/more) and <script>alert(1)</script>.',
        '',
      ].join('\n');
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: file }));
      const event = { Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key } } }] } as unknown as S3Event;
      expect(await handler(event)).toEqual([{ key, action: 'ingest', status: 'stored' }]);
      const { article } = (await store.get('bundled-inbox-story'))!;
      expect(article).toMatchObject({ title: 'From the bundle', tags: ['Inbox', 'Bundles'], publishedAt: '2025-05-20T06:30:00.000Z', sectionSlug: 'international' });
      expect(article.contentHtml).toContain('<strong>body</strong>');
      expect(article.contentHtml).toContain('<a href="https://news.test.example/more">link</a>');
      expect(article.contentHtml).not.toContain('script');
    } finally {
      process.env = saved;
      clients.dynamo.destroy();
      clients.s3.destroy();
      clients.streams.destroy();
    }
  });
});
