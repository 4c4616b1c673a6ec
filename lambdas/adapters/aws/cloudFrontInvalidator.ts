import { CreateInvalidationCommand, type CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createHash } from 'node:crypto';
import type { CdnInvalidator } from '../../core/publish/index.js';

/** Paid CloudFront invalidation of the given paths (opt-in: see BudgetedInvalidator). */
export class CloudFrontInvalidator implements CdnInvalidator {
  constructor(
    private readonly cloudFront: CloudFrontClient,
    private readonly distributionId: string,
  ) {}

  async invalidate(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    const items = [...new Set(paths)].sort().map((p) => `/${p.replace(/^\/+/, '')}`);
    // Same paths and a time bucket -> same CallerReference: a retried batch does not pay twice.
    const reference = createHash('sha256').update(`${items.join('\n')}@${Math.floor(Date.now() / 60_000)}`).digest('hex').slice(0, 32);
    await this.cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: reference, Paths: { Quantity: items.length, Items: items } },
      }),
    );
  }
}
