import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { sigV4Signer, signedFetch as signedCall } from '../lambdas/adapters/aws/signedFetch.js';

export interface SignedResponse {
  status: number;
  body: unknown;
}

export type SignedFetch = (method: string, url: URL, body?: string) => Promise<SignedResponse>;

/** `abc123.execute-api.eu-west-1.amazonaws.com` → `eu-west-1`. */
export function regionFromEndpoint(endpoint: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(endpoint.hostname)?.[1];
}

/**
 * fetch() with a SigV4 signature for API Gateway (`execute-api`), credentials from the standard
 * chain (env, SSO, profile, IMDS, ...) unless given.
 */
export function signedFetch(options: {
  region: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}): SignedFetch {
  const signer = sigV4Signer({ service: 'execute-api', region: options.region, credentials: options.credentials ?? fromNodeProviderChain() });
  return async (method, url, body) => {
    const headers = body !== undefined ? { 'content-type': 'application/json' } : undefined;
    // Every status is an answer the command reports; only network errors and timeouts are retried.
    const response = await signedCall(signer, { method, url, ...(headers && { headers }), ...(body !== undefined && { body }) }, {
      accept: () => true,
      error: (status) => new Error(`HTTP ${status}`),
      timeoutMs: API_TIMEOUT_MS,
    });
    return answerOf(response);
  };
}

/** The local server's API takes requests unsigned (no credentials needed, none sent). */
export const unsignedFetch: SignedFetch = (method, url, body) => send(url, method, body === undefined ? {} : { 'content-type': 'application/json' }, body);

/** API Gateway's own limit on an integration: no call waits longer. */
const API_TIMEOUT_MS = 30_000;

async function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<SignedResponse> {
  return answerOf(await fetch(url, { method, headers, ...(body !== undefined && { body }), signal: AbortSignal.timeout(API_TIMEOUT_MS) }));
}

async function answerOf(response: Response): Promise<SignedResponse> {
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // not JSON (e.g. an HTML error page): keep the text
  }
  return { status: response.status, body: parsed };
}
