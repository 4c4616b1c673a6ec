import type { APIGatewayProxyEventV2, CloudFrontFunctionsEvent, DynamoDBRecord } from 'aws-lambda';
import { parsePublisherConfig, type PublisherConfig } from '../../lambdas/core/config/index.js';
import type { Article } from '../../lambdas/core/article/types.js';
import { newsSitemapListing } from '../../lambdas/core/render/newsListing.js';

/** A site with three sections, as an operator would configure it. */
export function testConfig(overrides: Partial<Record<string, unknown>> = {}): PublisherConfig {
  return parsePublisherConfig(
    {
      siteTitle: 'Test Desk',
      siteUrl: 'https://news.test.example',
      language: 'en',
      itemIdAuthority: 'news.test.example,2025',
      itemsPerFeed: 5,
      sections: [
        { name: 'International', description: 'World news.' },
        { name: 'Business', description: 'Markets and companies.' },
        { name: 'Science', description: 'Research and discovery.' },
      ],
      ...overrides,
    },
    'test',
  );
}

let counter = 0;

/** A synthetic, valid article record (the ingest contract's JSON), with overrides. */
export function articleRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  const id = (overrides['id'] as string | undefined) ?? `synthetic-story-${counter}`;
  return {
    id,
    title: `Synthetic story ${counter}`,
    summary: `Summary of synthetic story ${counter}.`,
    contentHtml: `<p>Body of synthetic story ${counter}.</p><p>Second paragraph with <a href="https://news.test.example/more">a link</a>.</p>`,
    url: `https://news.test.example/stories/${id}`,
    section: 'International',
    authors: [{ name: 'Test Desk' }],
    tags: ['Test tag'],
    image: { url: `https://news.test.example/images/${id}.jpg`, alt: `Image for ${id}`, caption: 'A caption', width: 1200, height: 800 },
    publishedAt: '2025-05-20T12:00:00+05:30',
    updatedAt: '2025-05-20T12:00:00+05:30',
    status: 'published',
    ...overrides,
  };
}

/** ISO timestamp `minutes` after a fixed base: handy for ordering versions. */
export function at(minutes: number): string {
  return new Date(Date.parse('2025-06-01T00:00:00Z') + minutes * 60_000).toISOString();
}

/** An API Gateway HTTP API (payload v2) event, as the ingest Lambda receives it. */
export function httpApiEvent(method: string, path: string, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `req-${++counter}`,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date(0).toUTCString(),
      timeEpoch: 0,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/** A DynamoDB stream record of an article item, as Lambda hands it over. */
export function articleStreamRecord(options: {
  id: string;
  oldSection?: string;
  newSection?: string;
  sequenceNumber?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** Stored documents (`doc`, as JSON) and statuses of the two images, when the test reads them. */
  oldDoc?: Record<string, unknown>;
  newDoc?: Record<string, unknown>;
  oldStatus?: string;
  newStatus?: string;
  /** Slugs of the automatic tag and author feeds both images are in, as ingest stores them. */
  feedTags?: string[];
  feedAuthors?: string[];
}): DynamoDBRecord {
  const keys = { pk: { S: `ARTICLE#${options.id}` }, sk: { S: 'ARTICLE' } };
  const image = (section: string, doc?: Record<string, unknown>, status?: string) => ({
    ...keys,
    entity: { S: 'article' },
    id: { S: options.id },
    sectionSlug: { S: section },
    ...(options.feedTags?.length && { feedTags: { SS: options.feedTags } }),
    ...(options.feedAuthors?.length && { feedAuthors: { SS: options.feedAuthors } }),
    // As ingest writes it: the document and what the news sitemap lists of it.
    ...(doc && { doc: { S: JSON.stringify(doc) }, newsListing: { S: newsSitemapListing({ ...doc, ...(status && { status }) } as Partial<Article>) } }),
    ...(status && { status: { S: status } }),
  });
  return {
    eventID: `event-${++counter}`,
    eventName: options.eventName ?? (options.oldSection ? 'MODIFY' : 'INSERT'),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/articles/stream/2025-01-01T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: 1_748_000_000,
      Keys: keys,
      ...(options.newSection && { NewImage: image(options.newSection, options.newDoc, options.newStatus) }),
      ...(options.oldSection && { OldImage: image(options.oldSection, options.oldDoc, options.oldStatus) }),
      SequenceNumber: options.sequenceNumber ?? String(100_000 + counter),
      SizeBytes: 200,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** A CloudFront Functions viewer-request event, as CloudFront hands it to a function. */
export function viewerRequestEvent(options: {
  uri: string;
  /** A list of values becomes CloudFront's multiValue form. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  requestId?: string;
}): CloudFrontFunctionsEvent {
  const querystring: Record<string, { value: string; multiValue?: { value: string }[] }> = {};
  for (const [name, value] of Object.entries(options.query ?? {})) {
    const values = [value].flat();
    querystring[name] = { value: values[0]!, ...(values.length > 1 && { multiValue: values.map((v) => ({ value: v })) }) };
  }
  const headers = Object.fromEntries(Object.entries({ host: 'feeds.example.org', ...options.headers }).map(([k, v]) => [k, { value: v }]));
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: options.requestId ?? 'req-1' },
    viewer: { ip: '198.51.100.7' },
    request: { method: 'GET', uri: options.uri, querystring, headers, cookies: {} },
  } as unknown as CloudFrontFunctionsEvent;
}
