import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * A SigV4 signer for one service and region. S3 signs the path as sent (encoded once by the
 * caller), so it takes `uriEscapePath: false`; other services have the signer encode it.
 */
export function sigV4Signer(options: { service: string; region: string; credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider; uriEscapePath?: boolean }): SignatureV4 {
  return new SignatureV4({ ...options, sha256: Hash.bind(null, 'sha256') });
}

/** One AWS API call as an HTTPS request: what is signed is what is sent. */
export interface SignedCall {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

export interface SignedFetchOptions {
  /** Statuses that are answers (returned), not errors: 2xx by default. */
  accept?: (status: number) => boolean;
  /** The error of any other answer, from its status and body. */
  error: (status: number, text: string) => Error;
  send?: typeof fetch;
  /** Per attempt, so that no call hangs (default 10 s). */
  timeoutMs?: number;
}

const ATTEMPTS = 3;
const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt * Math.random()));

/**
 * Signs and sends one call, for the adapters that skip an SDK client for the one or two operations
 * they make (CloudFront invalidation, the content inbox's S3 reads: issue 14) and the operator's
 * calls of the ingest API (execute-api). Like the SDK's
 * standard retry: up to 3 attempts, with jittered back-off, on network errors and timeouts,
 * server errors, 429 and throttling codes; anything else is thrown at once.
 */
export async function signedFetch(signer: SignatureV4, call: SignedCall, options: SignedFetchOptions): Promise<Response> {
  const { url, method, body } = call;
  const accept = options.accept ?? ((status: number) => status >= 200 && status < 300);
  for (let attempt = 1; ; attempt++) {
    const request = new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      ...(url.search && { query: Object.fromEntries(url.searchParams) }),
      headers: { host: url.host, ...call.headers },
      ...(body !== undefined && { body }),
    });
    const signed = await signer.sign(request);
    let response: Response;
    try {
      response = await (options.send ?? fetch)(url.href, { method, headers: signed.headers as Record<string, string>, ...(body !== undefined && { body }), signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await backOff(attempt);
      continue;
    }
    if (accept(response.status)) return response;
    const error = options.error(response.status, method === 'HEAD' ? '' : await response.text());
    const retryable = response.status >= 500 || response.status === 429 || /Throttl|SlowDown/.test(error.message);
    if (!retryable || attempt >= ATTEMPTS) throw error;
    await backOff(attempt);
  }
}
