import { startDynamoDbLocal, type DynamoDbLocal } from './dynamoDbLocal.js';

export interface SupervisionHooks {
  /** DynamoDB Local is gone: stop serving requests that need it. */
  onDown(description: string): void;
  /** It is back on the same endpoint (the data kept in dataDir). */
  onRestarted(dynamo: DynamoDbLocal): Promise<void>;
  /** It cannot be brought back: stop everything with this message. */
  onGiveUp(message: string): void;
}

/** More restarts than this within RESTART_WINDOW_MS means something is wrong beyond a restart. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/**
 * Keeps DynamoDB Local running under `npm start`: when java dies (killed, out of memory), it is
 * started again on the same port with the same data directory, and the hooks resume the pipeline;
 * after repeated failures the whole tree is stopped with one clear message.
 */
export function superviseDynamoDb(first: DynamoDbLocal, dataDir: string, hooks: SupervisionHooks): { current(): DynamoDbLocal } {
  let current = first;
  const restarts: number[] = [];
  const watch = (dynamo: DynamoDbLocal) =>
    dynamo.onUnexpectedExit((description) => {
      hooks.onDown(description);
      void restart(description);
    });
  const restart = async (description: string) => {
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS) {
      return hooks.onGiveUp(`${description}\nDynamoDB Local died ${restarts.length} times within a minute; stopping. Check java and ${dataDir}.`);
    }
    console.error(`${description.split('\n')[0]}; restarting it on port ${current.port}`);
    try {
      current = await startDynamoDbLocal({ dataDir, port: current.port });
      watch(current);
      await hooks.onRestarted(current);
      console.error(`DynamoDB Local restarted (pid ${current.pid}); stream resumed, archives reconciled, feeds republished`);
    } catch (error) {
      hooks.onGiveUp(`${description}\nRestarting DynamoDB Local failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  watch(first);
  return { current: () => current };
}
