import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRequest } from '@smithy/protocol-http';
import { encodeKey, S3ObjectReader, s3Signer } from '../../lambdas/adapters/aws/s3ObjectReader.js';
import { createTestBucket, localClients, localObjectReader, type LocalClients } from '../helpers/localAws.js';

describe('S3ObjectReader: signed GetObject and HeadObject without the S3 client, on s3rver', () => {
  let clients: LocalClients;
  let bucket: string;
  const reader = () => localObjectReader();

  beforeAll(async () => {
    clients = localClients();
    bucket = await createTestBucket(clients.s3, 'reader');
  });
  afterAll(() => {
    clients.dynamo.destroy();
    clients.s3.destroy();
    clients.streams.destroy();
  });

  // Keys as editors name files: spaces, plus signs, parentheses, non-ASCII; each must be signed as S3 encodes it.
  it.each(['inbox/plain-story.md', 'inbox/a story + notes (draft)!.md', 'inbox/Zürich, café’s “quotes”.md', "inbox/sub/dir/it's*~.md"])(
    'reads the text of %s and answers that it exists',
    async (key) => {
      const text = `---\ntitle: ${key}\n---\nBody — ünïcödé ✓\n`;
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
      expect(await reader().read(bucket, key)).toBe(text);
      expect(await reader().exists(bucket, key)).toBe(true);
    },
  );

  it('answers undefined and false for an object that is not there (404), not an error', async () => {
    expect(await reader().read(bucket, 'inbox/never-written.md')).toBeUndefined();
    expect(await reader().exists(bucket, 'inbox/never-written.md')).toBe(false);
  });
});

describe('S3ObjectReader: addressing and retries', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  it('addresses AWS virtual-hosted, a configured endpoint and a dotted bucket name path-style, the key encoded once', () => {
    const aws = new S3ObjectReader({ region: 'eu-west-1', credentials });
    expect(aws.url('inbox-bucket', 'inbox/a b+c(1).md').href).toBe('https://inbox-bucket.s3.eu-west-1.amazonaws.com/inbox/a%20b%2Bc%281%29.md');
    const local = new S3ObjectReader({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:4569/' });
    expect(local.url('b', 'inbox/x.md').href).toBe('http://127.0.0.1:4569/b/inbox/x.md');
    expect(aws.url('inbox.example.org', 'inbox/x.md').href).toBe('https://s3.eu-west-1.amazonaws.com/inbox.example.org/inbox/x.md');
    expect(encodeKey("a/b c/it's*!.md")).toBe('a/b%20c/it%27s%2A%21.md');
  });

  // AWS's worked example of a signed GetObject (Signature Version 4, "Example: GET Object"), signed by our signer.
  it('signs as S3 does: the GET Object example of the SigV4 documentation', async () => {
    const signer = s3Signer('us-east-1', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
    const request = new HttpRequest({ method: 'GET', protocol: 'https:', hostname: 'examplebucket.s3.amazonaws.com', path: '/test.txt', headers: { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9' } });
    const signed = await signer.sign(request, { signingDate: new Date('2013-05-24T00:00:00Z') });
    expect(signed.headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('throws what S3 says for anything else, without retrying a refusal (403)', async () => {
    let calls = 0;
    const send = (async () => (calls++, new Response('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', { status: 403 }))) as unknown as typeof fetch;
    const reader = new S3ObjectReader({ region: 'eu-west-1', credentials, send });
    await expect(reader.read('b', 'inbox/x.md')).rejects.toThrow('S3 GetObject failed: HTTP 403 AccessDenied Access Denied');
    await expect(reader.exists('b', 'inbox/x.md')).rejects.toThrow(/^S3 HeadObject failed: HTTP 403$/);
    expect(calls).toBe(2);
  });

  it('retries a server error and throttling twice, then gives up with what S3 said', async () => {
    const statuses: number[] = [];
    const answers = [503, 200];
    const send = (async (_url: string, init: RequestInit) => {
      expect(String((init.headers as Record<string, string>)['authorization'])).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
      const status = answers.shift() ?? 500;
      statuses.push(status);
      return new Response(status === 200 ? 'text' : '<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>', { status });
    }) as unknown as typeof fetch;
    const reader = new S3ObjectReader({ region: 'eu-west-1', credentials, send });
    expect(await reader.read('b', 'inbox/x.md')).toBe('text');
    expect(statuses).toEqual([503, 200]);
    statuses.length = 0;
    await expect(reader.read('b', 'inbox/x.md')).rejects.toThrow('S3 GetObject failed: HTTP 500 SlowDown Reduce your request rate.');
    expect(statuses).toEqual([500, 500, 500]);
  });

  it('gives a request that hangs up after its timeout, and retries it', async () => {
    let calls = 0;
    const send = ((_url: string, init: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }) as unknown as typeof fetch;
    const reader = new S3ObjectReader({ region: 'eu-west-1', credentials, send, timeoutMs: 20 });
    await expect(reader.exists('b', 'inbox/x.md')).rejects.toThrow(/timeout|aborted/i);
    expect(calls).toBe(3);
  });
});
