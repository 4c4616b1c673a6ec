import { DynamoDBClient, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { instrumentDynamo } from '../../bench/lib/instrument.js';
import { looks, renders } from '../../bench/lib/publisher.js';

/**
 * The bench's DynamoDB counts, without a server: a middleware under the instrument answers every
 * call (the bench counts; these calls carry no data), after `delayMs`, or fails it.
 */
function instrumentedClient(answer: { delayMs?: number; fail?: boolean } = {}) {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  const counters = instrumentDynamo(client);
  client.middlewareStack.add(
    () => async () => {
      await new Promise((r) => setTimeout(r, answer.delayMs ?? 0));
      if (answer.fail) throw Object.assign(new Error('injected'), { name: 'InternalServerError' });
      return { output: { $metadata: {}, Items: [] }, response: {} };
    },
    { step: 'build', name: 'answerWithoutServer' },
  );
  return { client, counters };
}

const query = (projection?: string) =>
  new QueryCommand({
    TableName: 't',
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: 'SECTION#international' } },
    Limit: 50,
    ...(projection !== undefined && { ProjectionExpression: projection }),
  });

describe('bench: DynamoDB instrument', () => {
  it('counts a render’s read and a catching-up look at the versions apart', async () => {
    const { client, counters } = instrumentedClient();
    await client.send(query());
    await client.send(query('id, updatedAtMs'));
    await client.send(query('id, updatedAtMs'));
    const calls = counters.snapshot();
    expect(calls.queriesByLimit).toEqual({ 'SECTION 50': 1, 'SECTION 50 versions': 2 });
    expect([renders(calls), looks(calls)]).toEqual([1, 2]);
  });

  it('records when the last successful call of a command ended, not failed ones; reset forgets it', async () => {
    const { client, counters } = instrumentedClient({ delayMs: 20 });
    const before = performance.now();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 't', Item: { pk: { S: 'a' } } } }] }));
    const after = performance.now();
    const ended = counters.snapshot().lastEndedAt['TransactWriteItemsCommand']!;
    expect(ended).toBeGreaterThanOrEqual(before + 19);
    expect(ended).toBeLessThanOrEqual(after);
    counters.reset();
    expect(counters.snapshot().lastEndedAt).toEqual({});

    const failing = instrumentedClient({ fail: true });
    await expect(failing.client.send(query())).rejects.toThrow('injected');
    expect(failing.counters.snapshot().lastEndedAt).toEqual({});
    expect(failing.counters.snapshot().errors).toEqual({ 'QueryCommand InternalServerError': 1 });
  });
});
