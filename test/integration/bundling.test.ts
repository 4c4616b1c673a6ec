import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lambdas/core/contracts/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/localAws.js';
import { articleRecord, httpApiEvent, testConfig } from '../helpers/factories.js';
import { createTestTable, localClients } from '../helpers/localAws.js';
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

  it('keeps every bundle small (issue 14): under 600 KiB, the content inbox (markdown, YAML front matter, S3 reads) under 800 KiB, none near the 1 MB ceiling', () => {
    const ceiling = (id: string) => (id.startsWith('ContentHandler') ? 800 * 1024 : BUNDLE_MAX_BYTES);
    const sizes = Object.entries(dirs).map(([id, dir]) => ({ id, bytes: statSync(join(dir, 'index.mjs')).size }));
    expect(sizes.filter((s) => s.bytes >= ceiling(s.id)).map((s) => `${s.id}: ${Math.round(s.bytes / 1024)} KiB`)).toEqual([]);
    expect(Math.max(...sizes.map((s) => s.bytes))).toBeLessThan(1024 * 1024);
    // The regeneration bundle renders and writes only: no schema library, no sanitizer, no CloudFront SDK client.
    const regeneration = Object.entries(dirs).find(([id]) => id.startsWith('RegenerationHandler'))![1];
    const map = JSON.parse(readFileSync(join(regeneration, 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources.filter((s) => /node_modules\/(zod|sanitize-html|htmlparser2|postcss|@aws-sdk\/client-cloudfront|@aws-sdk\/credential-provider-sso)\//.test(s))).toEqual([]);
    expect(map.sourcesContent).toBeUndefined();
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
});
