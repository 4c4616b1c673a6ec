// The KeyValueStore API is signed with SigV4a; this import registers the pure-JS signer with the SDK.
import '@aws-sdk/signature-v4a';
import {
  CloudFrontKeyValueStoreClient,
  DeleteKeyCommand,
  DescribeKeyValueStoreCommand,
  ListKeysCommand,
  PutKeyCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { keyValueEntry, summarize, type PartnerKeyRecord, type PartnerKeyStore } from './partnerKeys.js';

/** The deployed key store: the stack's CloudFront KeyValueStore (output PartnerKeyValueStoreArn). */
export class KeyValueStorePartnerKeys implements PartnerKeyStore {
  constructor(
    readonly kvsArn: string,
    private readonly client: CloudFrontKeyValueStoreClient = new CloudFrontKeyValueStoreClient({}),
  ) {}

  get description(): string {
    return `KeyValueStore ${this.kvsArn}`;
  }

  /** Every write names the store version it read (optimistic locking): fetch it fresh. */
  private async etag(): Promise<string> {
    const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.kvsArn }));
    if (!ETag) throw new Error(`KeyValueStore ${this.kvsArn} returned no ETag`);
    return ETag;
  }

  private async entries(): Promise<{ key: string; partner: string }[]> {
    const found: { key: string; partner: string }[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new ListKeysCommand({ KvsARN: this.kvsArn, ...(NextToken && { NextToken }) }));
      for (const item of page.Items ?? []) {
        try {
          const value = JSON.parse(item.Value ?? '') as { partner?: unknown };
          if (item.Key && typeof value.partner === 'string') found.push({ key: item.Key, partner: value.partner });
        } catch {
          // Not a partner key entry: left alone.
        }
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return found;
  }

  async add(record: PartnerKeyRecord): Promise<void> {
    const { key, value } = keyValueEntry(record);
    await this.client.send(new PutKeyCommand({ KvsARN: this.kvsArn, Key: key, Value: value, IfMatch: await this.etag() }));
  }

  async list(): Promise<{ partner: string; keys: number }[]> {
    return summarize(await this.entries());
  }

  async revoke(partner: string): Promise<number> {
    const doomed = (await this.entries()).filter((e) => e.partner === partner);
    let etag = doomed.length ? await this.etag() : '';
    for (const { key } of doomed) {
      const { ETag } = await this.client.send(new DeleteKeyCommand({ KvsARN: this.kvsArn, Key: key, IfMatch: etag }));
      etag = ETag ?? (await this.etag());
    }
    return doomed.length;
  }
}
