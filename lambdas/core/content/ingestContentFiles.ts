import { ingestArticles, type IngestDeps, type IngestResult } from '../ingest/index.js';
import type { ContentFileOptions } from './contentFile.js';
import { readContentRecord } from './contentRecord.js';

export interface ContentFile {
  name: string;
  text: string;
}

/**
 * Ingests content files like any other batch (same validation and version rules). A file that
 * cannot even be read as a record (broken front matter or JSON, an id other than its name) is
 * reported against the file, not dropped.
 */
export async function ingestContentFiles(files: readonly ContentFile[], deps: IngestDeps, options: ContentFileOptions = {}): Promise<{ file: string; result: IngestResult }[]> {
  const parsed = files.map((file, index) => {
    const read = readContentRecord(file.name, file.text, options);
    return read.ok
      ? { file, index, record: read.record }
      : { file, index, failure: { index, id: read.id, status: 'error', error: 'invalid', errors: read.errors } as IngestResult };
  });
  const readable = parsed.filter((p) => p.failure === undefined);
  const results = await ingestArticles(readable.map((p) => p.record), deps);
  const byFile = new Map(readable.map((p, i) => [p.index, { ...results[i]!, index: p.index }]));
  return parsed.map((p) => ({ file: p.file.name, result: p.failure ?? byFile.get(p.index)! }));
}
