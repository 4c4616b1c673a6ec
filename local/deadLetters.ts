import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetter } from './streamPoller.js';

/**
 * The local run's on-failure destination: failed stream batches are kept in memory and, when a file
 * is given, appended to it as JSON lines, so nothing that failed is silently dropped.
 */
export class DeadLetterLog {
  readonly letters: DeadLetter[] = [];
  constructor(private readonly file?: string) {}

  async add(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'stream records dead-lettered after retries',
        shardId: letter.shardId,
        records: letter.records.length,
        firstSequenceNumber: letter.firstSequenceNumber,
        error: letter.error,
        ...(this.file && { file: this.file }),
      }),
    );
    if (this.file) {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...letter })}\n`);
    }
  }
}
