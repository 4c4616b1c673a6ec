import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { DeadLetter } from '../lambdas/core/contracts/index.js';
import type { DeadLetterSource, RegenerationInvoker } from './replayDeadLetters.js';

/** The stack's dead-letter queue: messages Lambda's event source mapping sent on failure. */
export function sqsDeadLetters(sqs: SQSClient, queueUrl: string, maxMessages = 100): DeadLetterSource {
  return {
    async receive() {
      const out: Awaited<ReturnType<DeadLetterSource['receive']>> = [];
      while (out.length < maxMessages) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
        if (Messages.length === 0) break;
        for (const message of Messages) {
          out.push({
            letter: JSON.parse(message.Body ?? '{}') as DeadLetter,
            ack: async () => void (await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }))),
          });
        }
      }
      return out;
    },
  };
}

/** Invokes the deployed regeneration function synchronously with the batch's records. */
export function lambdaInvoker(lambda: LambdaClient, functionName: string): RegenerationInvoker {
  return async (event) => {
    const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }));
    const payload = response.Payload ? Buffer.from(response.Payload).toString('utf8') : '';
    if (response.FunctionError) throw new Error(`function error: ${payload}`);
    return payload ? (JSON.parse(payload) as DynamoDBBatchResponse) : undefined;
  };
}
