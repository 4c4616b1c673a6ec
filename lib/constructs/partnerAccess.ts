import { readFileSync } from 'node:fs';
import { Function as CloudFrontFunction, FunctionCode, FunctionRuntime, KeyValueStore } from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

/** The edge function's source, deployed as-is (the local server and tests run the same file). */
export const PARTNER_AUTH_SOURCE = new URL('../../lambdas/edge/partnerAuth.js', import.meta.url);

/**
 * Keyed access to `/partners/*`: a KeyValueStore of partner key digests (written only by the
 * operator's `npm run partner -- ... --kvs-arn`, never by the stack's roles) and the CloudFront
 * Function (runtime 2.0) that checks the presented key against it on every viewer request.
 * An associated function can only read its store.
 */
export class PartnerAccess extends Construct {
  readonly keyStore: KeyValueStore;
  readonly function: CloudFrontFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.keyStore = new KeyValueStore(this, 'PartnerKeys', { comment: 'Partner key digests (sha256 prefix -> {partner, sha256}); npm run partner' });
    this.function = new CloudFrontFunction(this, 'PartnerAuth', {
      comment: 'Partner feeds: checks the partner key (Bearer or ?key=) against the KeyValueStore; logs the partner name, never the key',
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.keyStore,
      code: FunctionCode.fromInline(readFileSync(PARTNER_AUTH_SOURCE, 'utf8')),
    });
  }
}
