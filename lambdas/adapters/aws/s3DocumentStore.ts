import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore, StoredDocument } from '../../core/storage/index.js';

/** Published documents in S3. It never reads: what changed is known from the feed's manifest. */
export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async put(doc: StoredDocument): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: doc.path, Body: doc.body, ContentType: doc.contentType, CacheControl: doc.cacheControl }));
  }

  async remove(path: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: path }));
  }
}
