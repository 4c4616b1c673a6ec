import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeadLetterSource } from '../operator/replayDeadLetters.js';
import type { DeadLetter } from '../lambdas/core/contracts/index.js';

/**
 * The local run's on-failure destination: failed stream batches are kept in memory and, when a file
 * is given, in it as JSON lines (surviving restarts), so nothing that failed is silently dropped.
 * It is also a replay source: a letter acknowledged after a successful replay is removed.
 */
export class DeadLetterLog implements DeadLetterSource {
  readonly letters: DeadLetter[] = [];
  constructor(private readonly file?: string) {}

  /** Picks up letters left by an earlier run. */
  async load(): Promise<void> {
    if (!this.file) return;
    const text = await readFile(this.file, 'utf8').catch(() => '');
    this.letters.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as DeadLetter));
  }

  async add(letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
    console.error(JSON.stringify({ level: 'error', message: 'stream records dead-lettered after retries', ...letter.DDBStreamBatchInfo, error: letter.error, ...(this.file && { file: this.file }) }));
    await this.save();
  }

  async receive() {
    return [...this.letters].map((letter) => ({
      letter,
      ack: async () => {
        this.letters.splice(this.letters.indexOf(letter), 1);
        await this.save();
      },
    }));
  }

  private async save(): Promise<void> {
    if (!this.file) return;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, this.letters.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }
}
