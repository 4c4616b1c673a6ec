import { createHash } from 'node:crypto';
import { DeleteObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RenderedDocument } from '../render/index.js';
import { cacheControlFor } from './cachePolicy.js';

/** Metadata key holding the SHA-256 of an object's bytes: what "unchanged" is judged by. */
export const HASH_METADATA = 'sha256';

export function sha256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export interface WriteResult {
  path: string;
  changed: boolean;
}

/** Feed documents in S3, written only when their bytes differ from what is there. */
export class FeedStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly cacheControl: string,
  ) {}

  async storedHash(path: string): Promise<string | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: path }));
      return head.Metadata?.[HASH_METADATA];
    } catch (err) {
      if (err instanceof NotFound || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    }
  }

  async write(doc: RenderedDocument): Promise<WriteResult> {
    const hash = sha256(doc.body);
    if ((await this.storedHash(doc.path)) === hash) return { path: doc.path, changed: false };
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: doc.path,
        Body: doc.body,
        ContentType: doc.contentType,
        CacheControl: doc.cacheControl ?? this.cacheControl,
        Metadata: { [HASH_METADATA]: hash },
      }),
    );
    return { path: doc.path, changed: true };
  }

  /** Removes a document (idempotent: removing a missing one is fine). */
  async remove(path: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: path }));
  }
}

/** Readers reuse a feed for max-age, CloudFront for a few seconds (see cachePolicy.ts), then revalidate (ETag). */
export function feedCacheControl(maxAgeSeconds: number): string {
  return cacheControlFor('subscriptionFeed', { feedMaxAgeSeconds: maxAgeSeconds });
}
