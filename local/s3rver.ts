/**
 * Findings, s3rver 3.7.1 with client-s3 3.1175 (measured on the 2-core dev box):
 * - The SDK's default checksum mode (requestChecksumCalculation 'WHEN_SUPPORTED') sends
 *   x-amz-checksum-crc32 headers for string/Buffer bodies; s3rver ignores them, which is harmless.
 *   But for stream bodies the SDK switches to `Content-Encoding: aws-chunked` with a trailing
 *   checksum, which s3rver does NOT decode: the object is stored WITH the chunk framing
 *   ("7\r\nstream-\r\n4\r\nbody\r\n0\r\nx-amz-checksum-crc32:…") — silent corruption. (A stream
 *   of unknown length even fails client-side: 'Invalid value "undefined" for header
 *   "x-amz-decoded-content-length"'.) Hence localAwsClients() sets requestChecksumCalculation and
 *   responseChecksumValidation to 'WHEN_REQUIRED'. An explicit ChecksumAlgorithm on a streamed
 *   PutObject would still trigger aws-chunked — don't set one.
 * - GetObject with IfNoneMatch = current ETag → 304 → the SDK THROWS (no modelled error):
 *   an S3ServiceException with name 'Unknown', message 'UnknownError', $fault 'client',
 *   $metadata.httpStatusCode 304. Detect it by `$metadata.httpStatusCode === 304`.
 *   (HeadObject on a missing key → name 'NotFound'; GetObject → 'NoSuchKey'; both 404.)
 * - ETags are quoted hex MD5s; ContentType, CacheControl and user Metadata round-trip.
 * - s3rver needs accessKeyId/secretAccessKey 'S3RVER' for signed requests.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunningServer } from './localAws.js';
import { registerExitCleanup } from './processTree.js';

/** The part of s3rver's (untyped) API used here. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address?: string;
  port?: number;
  silent?: boolean;
  directory?: string;
  resetOnClose?: boolean;
  vhostBuckets?: boolean;
  allowMismatchedSignatures?: boolean;
}) => S3rverInstance;

const require = createRequire(import.meta.url);

/**
 * Starts s3rver on 127.0.0.1 with a kernel-assigned port, silent, storing into `directory`
 * (a fresh temp directory, removed again on stop, unless given).
 */
export async function startS3rver(options: { directory?: string } = {}): Promise<RunningServer> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const isTemp = options.directory === undefined;
  const directory = options.directory === undefined ? await mkdtemp(join(tmpdir(), 's3rver-')) : resolve(options.directory);
  if (!isTemp) await mkdir(directory, { recursive: true });

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only; the endpoint is an IP anyway.
    vhostBuckets: false,
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    if (isTemp) await rm(directory, { recursive: true, force: true });
    throw err;
  }

  const unregister = isTemp
    ? registerExitCleanup(() => rmSync(directory, { recursive: true, force: true }))
    : () => undefined;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop() {
      stopping ??= (async () => {
        try {
          await server.close();
        } finally {
          unregister();
          if (isTemp) await rm(directory, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}
