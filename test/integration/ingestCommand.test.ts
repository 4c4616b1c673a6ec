import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleValidator } from '../../lambdas/core/article/index.js';
import { DynamoArticleRepository } from '../../lambdas/adapters/aws/dynamoArticleRepository.js';
import { createIngestHandler } from '../../lambdas/handlers/ingest.js';
import { main, runIngest, type Progress } from '../../operator/ingestCommand.js';
import { signedFetch } from '../../operator/signedFetch.js';
import { articleRecord, httpApiEvent, testConfig } from '../helpers/factories.js';
import { createTestTable, localClients, type LocalClients } from '../helpers/localAws.js';

const CREDENTIALS = { accessKeyId: 'AKIDINGESTTEST', secretAccessKey: 'ingest-test-secret' };
const REGION = 'eu-west-1';

/** What API Gateway's IAM authorization does, in short: recompute the SigV4 signature over the signed headers and compare. */
async function verifySignature(req: IncomingMessage, body: string): Promise<string | undefined> {
  const authorization = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/execute-api\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(authorization);
  if (!match) return 'missing or malformed AWS4-HMAC-SHA256 Authorization header';
  if (match[1] !== CREDENTIALS.accessKeyId) return 'unknown access key';
  const signed = match[4]!.split(';');
  const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h])]));
  const amzDate = String(req.headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const resigned = await new SignatureV4({ service: 'execute-api', region: match[3]!, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') }).sign(
    new HttpRequest({ method: req.method!, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers, body }),
    { signingDate },
  );
  return resigned.headers['authorization'] === authorization ? undefined : 'signature does not match';
}

describe('npm run ingest against a local, IAM-checking ingest endpoint on DynamoDB Local', () => {
  let clients: LocalClients;
  let store: DynamoArticleRepository;
  let server: Server;
  let endpoint: URL;
  const authorizations: string[] = [];
  let folder: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    clients = localClients();
    const { tableName } = await createTestTable(clients.dynamo, 'cli');
    store = new DynamoArticleRepository(clients.dynamo, tableName);
    const ingest = createIngestHandler(() => ({ validator: new ArticleValidator(testConfig()), store }));
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      authorizations.push(req.headers.authorization ?? '');
      const problem = await verifySignature(req, body);
      if (problem) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `Forbidden: ${problem}` }));
        return;
      }
      const result = await ingest(httpApiEvent(req.method!, new URL(req.url!, 'http://x').pathname, body));
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(result.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

    // The standard credential chain finds these (environment provider comes first).
    delete process.env['AWS_PROFILE'];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: REGION });
    delete process.env['AWS_SESSION_TOKEN'];

    folder = mkdtempSync(join(tmpdir(), 'ingest-cli-'));
    for (const id of ['cli-one', 'cli-two', 'cli-three']) writeFileSync(join(folder, `${id}.json`), JSON.stringify(articleRecord({ id })));
    writeFileSync(join(folder, 'cli-bad-section.json'), JSON.stringify(articleRecord({ id: 'cli-bad-section', section: 'Nowhere' })));
    writeFileSync(join(folder, 'cli-unparseable.json'), '{"title":');
    writeFileSync(join(folder, 'README.txt'), 'not content');
  });

  afterAll(async () => {
    process.env = savedEnv;
    await new Promise((resolve) => server.close(resolve));
    clients.dynamo.destroy();
    clients.s3.destroy();
    clients.streams.destroy();
  });

  it('posts a folder in signed batches and reports each record', async () => {
    const progress: { total?: number; advanced: number; stopped: boolean } = { advanced: 0, stopped: false };
    const tracker: Progress = { start: (t) => (progress.total = t), advance: (n) => (progress.advanced += n), stop: () => (progress.stopped = true) };
    const before = authorizations.length;
    const report = await runIngest({ paths: [folder], endpoint, region: REGION, batchSize: 2 }, { progress: tracker });

    expect(report.records.map((r) => [r.id, r.status])).toEqual([
      ['cli-bad-section', 'error'],
      ['cli-one', 'stored'],
      ['cli-three', 'stored'],
      ['cli-two', 'stored'],
      ['cli-unparseable', 'error'],
    ]);
    expect(report.records[0]!.errors).toEqual([expect.objectContaining({ field: 'section' })]);
    expect(report.records[4]!.errors).toEqual([expect.objectContaining({ field: '(file)' })]);
    expect(report).toMatchObject({ failed: 2, counts: { stored: 3, error: 2 } });
    expect(progress).toEqual({ total: 4, advanced: 4, stopped: true });

    // Two batches (4 sendable records, 2 per request), each SigV4-signed for execute-api with the chain's credentials.
    const sent = authorizations.slice(before);
    expect(sent).toHaveLength(2);
    for (const auth of sent) expect(auth).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/execute-api/aws4_request, SignedHeaders=`));
    expect((await store.get('cli-one'))?.article.status).toBe('published');
  });

  it('a changed file is stored again, an unchanged one is a no-op', async () => {
    writeFileSync(join(folder, 'cli-one.json'), JSON.stringify(articleRecord({ id: 'cli-one', title: 'Changed title', updatedAt: '2025-05-21T09:00:00+05:30' })));
    const report = await runIngest({ paths: [join(folder, 'cli-one.json'), join(folder, 'cli-two.json')], endpoint, region: REGION, batchSize: 100 });
    expect(report.records.map((r) => [r.id, r.status])).toEqual([
      ['cli-one', 'stored'],
      ['cli-two', 'unchanged'],
    ]);
    expect((await store.get('cli-one'))?.article.title).toBe('Changed title');
  });

  it('wrong credentials: every record of the batch reports the 403', async () => {
    const send = signedFetch({ region: REGION, credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' } });
    const report = await runIngest({ paths: [join(folder, 'cli-two.json')], endpoint, region: REGION, batchSize: 10 }, { send });
    expect(report.records).toEqual([expect.objectContaining({ id: 'cli-two', status: 'error', errors: [{ field: '(request)', message: 'HTTP 403: Forbidden: signature does not match' }] })]);
  });

  it('main(): prints the per-record report and exits 1 when a record failed, 0 when none did, 2 on bad usage', async () => {
    const run = async (argv: string[]) => {
      let out = '';
      let err = '';
      const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
      const stderr = Object.assign(new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }), { isTTY: false }) as unknown as NodeJS.WriteStream;
      const code = await main(argv, { stdout, stderr });
      return { code, out, err };
    };
    const failing = await run([folder, '--endpoint', endpoint.href, '--region', REGION]);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/^error\s+cli-bad-section\s+.*cli-bad-section\.json\n\s+section: /m);
    expect(failing.out).toMatch(/^unchanged\s+cli-three/m);
    expect(failing.out).toContain('5 record(s): 2 error, 3 unchanged — 2 FAILED');

    const passing = await run([join(folder, 'cli-two.json'), '--endpoint', endpoint.href, '--region', REGION, '--batch-size', '1']);
    expect(passing).toMatchObject({ code: 0 });
    expect(passing.out).toContain('1 record(s): 1 unchanged');

    expect((await run([folder])).code).toBe(2);
    expect((await run([folder, '--endpoint', endpoint.href, '--batch-size', '501'])).err).toContain('--batch-size: must be an integer from 1 to 500');
  });
});
