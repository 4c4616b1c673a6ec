import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { PartnerKeyFile } from '../operator/partnerKeys.js';
import { InMemoryKeyValueStore, isEdgeResponse, loadCloudFrontFunction, PARTNER_AUTH_FUNCTION, sendEdgeResponse, viewerRequestEvent } from './cloudFrontFunction.js';
import { serveObject } from './feedServer.js';

export interface PartnerGateOptions {
  /** Digests of the partner keys (`npm run partner`); none (every request refused) when absent. */
  keyFile?: string;
  /** Where the function's log lines go (CloudFront: its CloudWatch log group); stdout by default. */
  log?: (line: string) => void;
}

/**
 * `/partners/*` served the way the distribution's partner behaviour does: the deployed CloudFront
 * Function decides on a CloudFront-shaped viewer-request event, with the local key file standing
 * in for the KeyValueStore (read per request, so `npm run partner` takes effect at once); its
 * refusal is returned as it is (status and headers, no body), else the object is served.
 */
export function createPartnerGate(options: PartnerGateOptions) {
  const keys = options.keyFile ? new PartnerKeyFile(options.keyFile) : undefined;
  return async function servePartnerObject(req: IncomingMessage, res: ServerResponse, s3: S3Client, bucket: string): Promise<void> {
    const kvs = new InMemoryKeyValueStore(keys ? await keys.keyValueEntries() : new Map());
    const edgeFunction = loadCloudFrontFunction(PARTNER_AUTH_FUNCTION, { kvs, ...(options.log && { log: options.log }) });
    const result = await edgeFunction.handler(viewerRequestEvent(req, req.headers.host ?? 'localhost'));
    if (isEdgeResponse(result)) return sendEdgeResponse(res, result);
    return serveObject(req, res, s3, bucket, decodeURIComponent(result.uri.slice(1)));
  };
}
