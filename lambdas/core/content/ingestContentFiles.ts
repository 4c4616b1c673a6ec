import { ingestArticles, type IngestDeps, type IngestResult } from '../ingest/index.js';
import { parseContentFile } from './contentFile.js';

export interface ContentFile {
  name: string;
  text: string;
}

/**
 * Ingests content files like any other batch (same validation and version rules). A file that
 * cannot even be parsed (broken front matter or JSON) is reported against the file, not dropped.
 */
export async function ingestContentFiles(files: readonly ContentFile[], deps: IngestDeps): Promise<{ file: string; result: IngestResult }[]> {
  const parsed = files.map((file, index) => {
    try {
      return { file, index, record: parseContentFile(file.name, file.text) };
    } catch (err) {
      const message = `cannot be parsed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      return { file, index, failure: { index, status: 'error', error: 'invalid', errors: [{ field: '(file)', message }] } as IngestResult };
    }
  });
  const readable = parsed.filter((p) => p.failure === undefined);
  const results = await ingestArticles(readable.map((p) => p.record), deps);
  const byFile = new Map(readable.map((p, i) => [p.index, { ...results[i]!, index: p.index }]));
  return parsed.map((p) => ({ file: p.file.name, result: p.failure ?? byFile.get(p.index)! }));
}
