import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Reading objects, as the content inbox needs it: a file's text, or whether it (still) exists. */
export interface ObjectReader {
  /** The object's body as UTF-8 text; undefined when there is no such object (404). */
  read(bucket: string, key: string): Promise<string | undefined>;
  /** Whether the object exists (HEAD: 200, or 404). */
  exists(bucket: string, key: string): Promise<boolean>;
}

export interface S3ObjectReaderOptions {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** An S3-compatible endpoint (`http://127.0.0.1:4569`), addressed path-style; default: the region's AWS endpoint, virtual-hosted. */
  endpoint?: string;
  send?: typeof fetch;
  /** Per attempt; no request hangs (default 10 s). */
  timeoutMs?: number;
}

const ATTEMPTS = 3;

/** SigV4 for S3: the path is signed as sent (encoded once by encodeKey), not encoded again as other services do. */
export const s3Signer = (region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) =>
  new SignatureV4({ service: 's3', region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });

/** S3 encodes a key once, keeping `/` (RFC 3986 unreserved characters stay as they are). */
export const encodeKey = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');

/** `<Code>…</Code>` of S3's XML error body, when there is one (HEAD answers have none). */
function s3Error(operation: string, status: number, text: string): Error {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  return Object.assign(new Error(`S3 ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}${message ? ` ${message}` : ''}`), { status, code });
}

/**
 * GetObject and HeadObject as two SigV4-signed HTTPS calls rather than through @aws-sdk/client-s3:
 * the content inbox makes no other S3 call, and the client (every operation's schema, built at
 * import) was most of what kept that function's module load above 120 ms (issue 14). The same
 * signer as CloudFront invalidation; throttling and server errors are retried twice, with jitter,
 * as the SDK's standard retry would.
 */
export class S3ObjectReader implements ObjectReader {
  private readonly signer: SignatureV4;
  private readonly send: typeof fetch;

  constructor(private readonly options: S3ObjectReaderOptions) {
    this.signer = s3Signer(options.region, options.credentials);
    this.send = options.send ?? fetch;
  }

  async read(bucket: string, key: string): Promise<string | undefined> {
    const response = await this.request('GET', 'GetObject', bucket, key);
    return response.status === 404 ? undefined : await response.text();
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return (await this.request('HEAD', 'HeadObject', bucket, key)).status !== 404;
  }

  /** The URL of an object: virtual-hosted on AWS, path-style on a configured endpoint. */
  url(bucket: string, key: string): URL {
    const { endpoint, region } = this.options;
    return endpoint ? new URL(`${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(bucket)}/${encodeKey(key)}`) : new URL(`https://${bucket}.s3.${region}.amazonaws.com/${encodeKey(key)}`);
  }

  /** The response when it is 2xx or 404 (the body unread for a 404); anything else is thrown. */
  private async request(method: 'GET' | 'HEAD', operation: string, bucket: string, key: string): Promise<Response> {
    const url = this.url(bucket, key);
    for (let attempt = 1; ; attempt++) {
      const request = new HttpRequest({ method, protocol: url.protocol, hostname: url.hostname, ...(url.port && { port: Number(url.port) }), path: url.pathname, headers: { host: url.host } });
      const signed = await this.signer.sign(request);
      let response: Response;
      try {
        response = await this.send(url, { method, headers: signed.headers as Record<string, string>, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        await backOff(attempt);
        continue;
      }
      if (response.ok) return response;
      if (response.status === 404) {
        await response.body?.cancel();
        return response;
      }
      const error = s3Error(operation, response.status, method === 'HEAD' ? '' : await response.text());
      const retryable = response.status >= 500 || response.status === 429 || /SlowDown|Throttl/.test(error.message);
      if (!retryable || attempt >= ATTEMPTS) throw error;
      await backOff(attempt);
    }
  }
}

const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt * Math.random()));
