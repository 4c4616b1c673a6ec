import { describe, expect, it } from 'vitest';
import { CloudFrontInvalidator, invalidationRequest } from '../../lambdas/adapters/aws/cloudFrontInvalidator.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token' };

/** A fetch that records each request and answers with the given statuses in turn. */
function recordingFetch(answers: { status: number; body: string }[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const send = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const answer = answers.shift() ?? { status: 201, body: '' };
    return new Response(answer.body, { status: answer.status });
  }) as unknown as typeof fetch;
  return { requests, send };
}

describe('CloudFront invalidation as one signed CreateInvalidation call', () => {
  it('builds the InvalidationBatch: distinct sorted paths with a leading slash, XML-escaped, an idempotent CallerReference', () => {
    const now = Date.UTC(2026, 11, 3, 6, 0, 0);
    const a = invalidationRequest('E2EXAMPLE', ['feeds/world/*', '/feeds/a&b/*', 'feeds/world/*'], now);
    expect(a.path).toBe('/2020-05-31/distribution/E2EXAMPLE/invalidation');
    expect(a.body).toContain('<Paths><Quantity>2</Quantity><Items><Path>/feeds/a&amp;b/*</Path><Path>/feeds/world/*</Path></Items></Paths>');
    expect(a.body).toContain(`<CallerReference>${a.reference}</CallerReference>`);
    expect(invalidationRequest('E2EXAMPLE', ['feeds/world/*', 'feeds/a&b/*'], now + 1000).reference).toBe(a.reference);
    expect(invalidationRequest('E2EXAMPLE', ['feeds/world/*'], now).reference).not.toBe(a.reference);
  });

  it('POSTs it to cloudfront.amazonaws.com signed with SigV4 for us-east-1', async () => {
    const { requests, send } = recordingFetch([{ status: 201, body: '<Invalidation/>' }]);
    await new CloudFrontInvalidator(CREDENTIALS, 'E2EXAMPLE', send).invalidate(['feeds/world/*']);
    expect(requests).toHaveLength(1);
    const [{ url, init }] = requests as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://cloudfront.amazonaws.com/2020-05-31/distribution/E2EXAMPLE/invalidation');
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cloudfront\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(headers['x-amz-security-token']).toBe('token');
    expect(String(init.body)).toContain('<Path>/feeds/world/*</Path>');
  });

  it('sends nothing for no paths', async () => {
    const { requests, send } = recordingFetch([]);
    await new CloudFrontInvalidator(CREDENTIALS, 'E2EXAMPLE', send).invalidate([]);
    expect(requests).toHaveLength(0);
  });

  it('retries a server error, and fails on a client error naming CloudFront\'s code', async () => {
    const retried = recordingFetch([{ status: 503, body: '<ErrorResponse><Error><Code>ServiceUnavailable</Code></Error></ErrorResponse>' }, { status: 201, body: '' }]);
    await new CloudFrontInvalidator(CREDENTIALS, 'E2EXAMPLE', retried.send).invalidate(['feeds/x/*']);
    expect(retried.requests).toHaveLength(2);
    const refused = recordingFetch([{ status: 400, body: '<ErrorResponse><Error><Code>TooManyInvalidationsInProgress</Code><Message>Too many</Message></Error></ErrorResponse>' }]);
    await expect(new CloudFrontInvalidator(CREDENTIALS, 'E2EXAMPLE', refused.send).invalidate(['feeds/x/*'])).rejects.toThrow(/HTTP 400 TooManyInvalidationsInProgress Too many/);
    expect(refused.requests).toHaveLength(1);
  });
});
