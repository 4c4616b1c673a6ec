import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { sigV4Signer, signedFetch } from './signedFetch.js';

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

/** SigV4 for S3: the path is signed as sent (encoded once by encodeKey), not encoded again as other services do. */
export const s3Signer = (region: string, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider) => sigV4Signer({ service: 's3', region, credentials, uriEscapePath: false });

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
 * import) was most of what kept that function's module load above 120 ms (issue 14). Sent and
 * retried as CloudFront invalidation is (signedFetch).
 */
export class S3ObjectReader implements ObjectReader {
  private readonly signer: SignatureV4;
  private readonly send: typeof fetch | undefined;

  constructor(private readonly options: S3ObjectReaderOptions) {
    this.signer = s3Signer(options.region, options.credentials);
    this.send = options.send;
  }

  async read(bucket: string, key: string): Promise<string | undefined> {
    const response = await this.request('GET', 'GetObject', bucket, key);
    return response.status === 404 ? undefined : await response.text();
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return (await this.request('HEAD', 'HeadObject', bucket, key)).status !== 404;
  }

  /**
   * The URL of an object: virtual-hosted on AWS, path-style on a configured endpoint, and for a
   * bucket name with dots (which S3's wildcard certificate does not cover as a host name).
   */
  url(bucket: string, key: string): URL {
    const { endpoint, region } = this.options;
    if (!endpoint && !bucket.includes('.')) return new URL(`https://${bucket}.s3.${region}.amazonaws.com/${encodeKey(key)}`);
    const base = endpoint ? endpoint.replace(/\/+$/, '') : `https://s3.${region}.amazonaws.com`;
    return new URL(`${base}/${encodeURIComponent(bucket)}/${encodeKey(key)}`);
  }

  /** The response when it is 2xx or 404 (the body of a 404 left unread); anything else is thrown. */
  private async request(method: 'GET' | 'HEAD', operation: string, bucket: string, key: string): Promise<Response> {
    const response = await signedFetch(this.signer, { method, url: this.url(bucket, key) }, {
      accept: (status) => (status >= 200 && status < 300) || status === 404,
      error: (status, text) => s3Error(operation, status, text),
      send: this.send,
      ...(this.options.timeoutMs !== undefined && { timeoutMs: this.options.timeoutMs }),
    });
    if (response.status === 404) await response.body?.cancel();
    return response;
  }
}
