import { beforeAll, describe, expect, it } from 'vitest';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { ingestContentFiles } from '../../lambdas/core/content/index.js';
import type { IngestDeps } from '../../lambdas/core/ingest/index.js';
import { createArticleTable } from '../../lambdas/adapters/aws/articleTable.js';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { createIngestHandler } from '../../lambdas/handlers/ingest.js';
import { articleRecord, httpApiEvent, testConfig } from '../helpers/factories.js';
import { localClients, uniqueName } from '../helpers/localAws.js';

/** The ingest Lambda's handler on HTTP API v2 events, storing into DynamoDB Local. */
describe('ingest handler', () => {
  let deps: IngestDeps;
  let handler: ReturnType<typeof createIngestHandler>;
  beforeAll(async () => {
    const { dynamo } = localClients();
    const table = uniqueName('ingest');
    await createArticleTable(dynamo, table);
    deps = { validator: new ArticleValidator(testConfig()), store: new DynamoArticleRepository(dynamo, table) };
    handler = createIngestHandler(() => deps);
  });
  const body = (result: { body?: string }) => JSON.parse(result.body ?? 'null');

  it('stores one record posted on its own, and accepts base64 bodies', async () => {
    const single = await handler(httpApiEvent('POST', '/articles', articleRecord({ id: 'single' })));
    expect(single.statusCode).toBe(200);
    expect(single.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(body(single).results).toEqual([{ index: 0, id: 'single', status: 'stored' }]);
    const event = httpApiEvent('POST', '/articles', Buffer.from(JSON.stringify(articleRecord({ id: 'encoded' }))).toString('base64'));
    event.isBase64Encoded = true;
    expect(body(await handler(event)).results[0].status).toBe('stored');
    expect((await deps.store.get('encoded'))?.article.id).toBe('encoded');
  });

  it('refuses wrong methods, unknown paths, bad ids, empty and oversized batches', async () => {
    expect((await handler(httpApiEvent('GET', '/articles'))).statusCode).toBe(405);
    expect((await handler(httpApiEvent('POST', '/articles/x'))).statusCode).toBe(405);
    expect((await handler(httpApiEvent('GET', '/elsewhere'))).statusCode).toBe(404);
    expect((await handler(httpApiEvent('DELETE', '/articles/Bad%20Id'))).statusCode).toBe(400);
    expect((await handler(httpApiEvent('POST', '/articles', []))).statusCode).toBe(400);
    const tooMany = Array.from({ length: 501 }, () => ({}));
    expect((await handler(httpApiEvent('POST', '/articles', tooMany))).statusCode).toBe(413);
  });

  it('applies records of one id in batch order', async () => {
    const results = body(
      await handler(
        httpApiEvent('POST', '/articles', [
          articleRecord({ id: 'ordered', title: 'v1', updatedAt: '2025-06-01T00:00:00Z' }),
          articleRecord({ id: 'ordered', title: 'v2', updatedAt: '2025-06-02T00:00:00Z' }),
          articleRecord({ id: 'ordered', title: 'v0', updatedAt: '2025-05-31T00:00:00Z' }),
        ]),
      ),
    ).results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['stored', 'stored', 'ignored-older']);
    expect((await deps.store.get('ordered'))?.article.title).toBe('v2');
  });

  it('reports a content file that cannot be parsed against the file, and stores the others', async () => {
    const good = ['---', 'title: From a file', 'summary: S', 'url: https://news.test.example/f', 'section: Science', 'authors: [{name: Desk}]', 'publishedAt: "2025-05-20T12:00:00Z"', 'updatedAt: "2025-05-20T12:00:00Z"', '---', 'Body.'].join('\n');
    const report = await ingestContentFiles(
      [
        { name: 'from-file.md', text: good },
        { name: 'broken.md', text: '---\ntitle: [unclosed\n---\n' },
        { name: 'broken.json', text: '{"title":' },
      ],
      deps,
    );
    expect(report.map((r) => [r.file, r.result.status])).toEqual([
      ['from-file.md', 'stored'],
      ['broken.md', 'error'],
      ['broken.json', 'error'],
    ]);
    expect(report[1]!.result).toMatchObject({ errors: [{ field: '(file)' }] });
    expect((await deps.store.get('from-file'))?.article.contentHtml).toBe('<p>Body.</p>');
  });
});
