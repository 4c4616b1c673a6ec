import { createHash } from 'node:crypto';
import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CdnInvalidator } from '../../core/publish/index.js';
import { sigV4Signer, signedFetch } from './signedFetch.js';

/** CloudFront's API: global, signed for us-east-1. */
const HOST = 'cloudfront.amazonaws.com';
const API_VERSION = '2020-05-31';

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The CreateInvalidation call for these paths: its URL path, XML body and (idempotent) CallerReference. */
export function invalidationRequest(distributionId: string, paths: string[], now = Date.now()): { path: string; body: string; reference: string } {
  const items = [...new Set(paths)].sort().map((p) => `/${p.replace(/^\/+/, '')}`);
  // Same paths and a time bucket -> same CallerReference: a retried batch does not pay twice.
  const reference = createHash('sha256').update(`${items.join('\n')}@${Math.floor(now / 60_000)}`).digest('hex').slice(0, 32);
  const body =
    `<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/${API_VERSION}/">` +
    `<Paths><Quantity>${items.length}</Quantity><Items>${items.map((p) => `<Path>${xmlText(p)}</Path>`).join('')}</Items></Paths>` +
    `<CallerReference>${reference}</CallerReference></InvalidationBatch>`;
  return { path: `/${API_VERSION}/distribution/${encodeURIComponent(distributionId)}/invalidation`, body, reference };
}

/** `<Code>…</Code>` and `<Message>…</Message>` of CloudFront's XML error response. */
function errorOf(status: number, text: string): Error {
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
  return Object.assign(new Error(`CloudFront CreateInvalidation failed: HTTP ${status} ${tag('Code') ?? ''} ${tag('Message') ?? ''}`.trim()), { status, code: tag('Code') });
}

/**
 * Paid CloudFront invalidation of the given paths (opt-in: see BudgetedInvalidator), as one SigV4-signed
 * HTTPS call rather than through @aws-sdk/client-cloudfront: the one operation used did not justify
 * the client's 137 KiB (every operation's schema and error class) in the regeneration bundle (issue 14).
 * Sent and retried by signedFetch, as the SDK's standard retry would.
 */
export class CloudFrontInvalidator implements CdnInvalidator {
  private readonly signer: SignatureV4;

  constructor(
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    private readonly distributionId: string,
    private readonly send: typeof fetch = fetch,
  ) {
    this.signer = sigV4Signer({ service: 'cloudfront', region: 'us-east-1', credentials });
  }

  async invalidate(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const { path, body } = invalidationRequest(this.distributionId, paths);
    await signedFetch(this.signer, { method: 'POST', url: new URL(`https://${HOST}${path}`), headers: { 'content-type': 'application/xml' }, body }, { error: errorOf, send: this.send });
  }
}
