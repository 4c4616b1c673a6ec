import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { INBOX_PREFIX } from '../../lambdas/core/contracts/index.js';
import { ContentFileError, createContentInboxHandler, type ContentInboxDeps } from '../../lambdas/handlers/contentInbox.js';
import { testConfig } from '../helpers/factories.js';
import { createTestBucket, createTestTable, localClients, localObjectReader, type LocalClients } from '../helpers/localAws.js';
import { captureLogs, expectLogged } from '../helpers/logs.js';

/** A content file as an editor writes it: YAML front matter + Markdown. */
function markdownFile(fields: { title: string; updatedAt: string; section?: string }): string {
  return [
    '---',
    `title: ${JSON.stringify(fields.title)}`,
    'summary: A short summary.',
    'url: https://news.test.example/international/inbox-story',
    `section: ${fields.section ?? 'International'}`,
    'authors:',
    '  - name: Test Desk',
    'tags: [Inbox]',
    'publishedAt: "2025-05-20T12:00:00+05:30"',
    `updatedAt: "${fields.updatedAt}"`,
    'status: published',
    '---',
    'The **body** of the story.',
    '',
  ].join('\n');
}

/** The S3 notification the inbox function receives (keys are URL-encoded in real events). */
function s3Event(bucket: string, eventName: string, key: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName,
        userIdentity: { principalId: 'test' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'r' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'inbox',
          bucket: { name: bucket, ownerIdentity: { principalId: 'test' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: 1, eTag: 'e', sequencer: '0' },
        },
      },
    ],
  };
}

describe('content inbox (S3 events -> ingest/retract) on s3rver + DynamoDB Local', () => {
  let clients: LocalClients;
  let bucket: string;
  let store: DynamoArticleRepository;
  let handler: ReturnType<typeof createContentInboxHandler>;

  const put = (file: string, text: string) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${INBOX_PREFIX}${file}`, Body: text }));
  const remove = (file: string) => clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${INBOX_PREFIX}${file}` }));
  const created = (file: string) => handler(s3Event(bucket, 'ObjectCreated:Put', `${INBOX_PREFIX}${file}`));
  const removed = (file: string) => handler(s3Event(bucket, 'ObjectRemoved:Delete', `${INBOX_PREFIX}${file}`));

  beforeAll(async () => {
    clients = localClients();
    const { tableName } = await createTestTable(clients.dynamo, 'inbox');
    bucket = await createTestBucket(clients.s3, 'inbox');
    store = new DynamoArticleRepository(clients.dynamo, tableName);
    const deps: ContentInboxDeps = { ingest: { validator: new ArticleValidator(testConfig()), store }, objects: localObjectReader() };
    handler = createContentInboxHandler(() => deps);
  });

  afterAll(() => {
    clients.dynamo.destroy();
    clients.s3.destroy();
    clients.streams.destroy();
  });

  it('a new file is parsed, validated and stored', async () => {
    await put('inbox-story.md', markdownFile({ title: 'First version', updatedAt: '2025-05-20T12:00:00+05:30' }));
    expect(await created('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'ingest', status: 'stored' }]);
    const stored = await store.get('inbox-story');
    expect(stored?.article).toMatchObject({ id: 'inbox-story', title: 'First version', status: 'published', sectionSlug: 'international' });
    expect(stored?.article.contentHtml).toContain('<strong>body</strong>');
  });

  it('the same file shipped again is a no-op; a changed file with a later updatedAt replaces the article', async () => {
    expect(await created('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'ingest', status: 'unchanged' }]);
    await put('inbox-story.md', markdownFile({ title: 'Second version', updatedAt: '2025-05-20T13:00:00+05:30' }));
    expect(await created('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'ingest', status: 'stored' }]);
    expect((await store.get('inbox-story'))?.article.title).toBe('Second version');
  });

  it('an older version is ignored, as through the API', async () => {
    const logs = captureLogs();
    await put('inbox-story.md', markdownFile({ title: 'Stale', updatedAt: '2025-05-20T12:30:00+05:30' }));
    expect(await created('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'ingest', status: 'ignored-older' }]);
    expect((await store.get('inbox-story'))?.article.title).toBe('Second version');
    expectLogged(logs, 'content file is older than the stored article; ignored', { level: 'warn', key: 'inbox/inbox-story.md', id: 'inbox-story' });
  });

  it('a removed file retracts its article; a removal event for a file that is back is skipped', async () => {
    await put('inbox-story.md', markdownFile({ title: 'Second version', updatedAt: '2025-05-20T13:00:00+05:30' }));
    expect(await removed('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'skip', status: 'file exists again' }]);
    expect((await store.get('inbox-story'))?.article.status).toBe('published');

    await remove('inbox-story.md');
    expect(await removed('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'retract', status: 'retracted' }]);
    expect((await store.get('inbox-story'))?.article.status).toBe('retracted');
    // A late creation event for the deleted file changes nothing.
    expect(await created('inbox-story.md')).toEqual([{ key: 'inbox/inbox-story.md', action: 'skip', status: 'file removed again' }]);
  });

  it('a bad file fails the invocation loudly (retries, then the DLQ and its alarm), naming the file and fields; nothing is stored', async () => {
    const logs = captureLogs();
    await put('broken-story.md', '---\ntitle: ""\nsection: Nowhere\nurl: http://insecure.example\n---\nBody\n');
    const attempt = created('broken-story.md');
    await expect(attempt).rejects.toBeInstanceOf(ContentFileError);
    await expect(created('broken-story.md')).rejects.toThrow(/inbox\/broken-story\.md: .*title.*section|inbox\/broken-story\.md: .*section.*title/);
    expect(await store.get('broken-story')).toBeUndefined();

    await put('unparseable.json', '{ "title": ');
    await expect(created('unparseable.json')).rejects.toThrow(/inbox\/unparseable\.json: \(file\): cannot be parsed/);
    // The function's log names the file and each field once (what an operator reads after the alarm).
    const broken = expectLogged(logs, 'content file rejected', { level: 'error', key: 'inbox/broken-story.md', id: 'broken-story' });
    const fields = (broken.entry!['errors'] as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'section', 'url']));
    expect(new Set(fields).size).toBe(fields.length);
    expectLogged(logs, 'content file rejected', { key: 'inbox/unparseable.json', errors: [{ field: '(file)' }] });
  });

  it('a version conflict (same updatedAt, different content) fails loudly too', async () => {
    const logs = captureLogs();
    await put('conflict-story.md', markdownFile({ title: 'One', updatedAt: '2025-05-21T10:00:00+05:30' }));
    await created('conflict-story.md');
    await put('conflict-story.md', markdownFile({ title: 'Two', updatedAt: '2025-05-21T10:00:00+05:30' }));
    await expect(created('conflict-story.md')).rejects.toThrow(/conflict-story\.md: updatedAt: conflict/);
    expect((await store.get('conflict-story'))?.article.title).toBe('One');
    expectLogged(logs, 'content file rejected', { level: 'error', key: 'inbox/conflict-story.md', errors: [{ field: 'updatedAt', message: expect.stringContaining('conflict') }] });
  });

  it('ignores objects that are not content files', async () => {
    await put('notes.txt', 'hello');
    expect(await created('notes.txt')).toEqual([{ key: 'inbox/notes.txt', action: 'skip', status: 'not a content file' }]);
  });
});
