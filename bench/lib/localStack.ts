/** DynamoDB Local and s3rver for the duration of a bench run, always stopped again. */
import { startDynamoDbLocal } from '../../local/dynamoDbLocal.js';
import { localAwsClients, type RunningServer } from '../../local/localAws.js';
import { startS3rver } from '../../local/s3rver.js';
import { uniqueName } from './names.js';

export type LocalClients = ReturnType<typeof localAwsClients>;

export interface LocalServers {
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** Fresh SDK clients (instrument them per suite); destroyed when the servers stop. */
  clients(): LocalClients;
  uniqueName(prefix: string): string;
}

/** Starts both servers (in memory / temp dir), runs `fn`, and stops them whatever happens. */
export async function withLocalServers<T>(fn: (servers: LocalServers) => Promise<T>): Promise<T> {
  const started = await Promise.allSettled([startDynamoDbLocal(), startS3rver()]);
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const created: LocalClients[] = [];
  const stopAll = async () => {
    for (const c of created) {
      c.dynamo.destroy();
      c.streams.destroy();
      c.s3.destroy();
    }
    await Promise.allSettled(running.map((s: RunningServer) => s.stop()));
  };
  const [dynamo, s3] = started;
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    await stopAll();
    throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }
  const endpoints = { dynamoEndpoint: dynamo.value.endpoint, s3Endpoint: s3.value.endpoint };
  try {
    return await fn({
      ...endpoints,
      clients() {
        const c = localAwsClients(endpoints);
        created.push(c);
        return c;
      },
      uniqueName,
    });
  } finally {
    await stopAll();
  }
}
