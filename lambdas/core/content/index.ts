export { articleIdFromFileName, CONTENT_FILE, parseContentFile } from './contentFile.js';
export { ingestContentFiles, type ContentFile } from './ingestContentFiles.js';
export { describeFieldErrors, readContentRecord, type ContentRecordResult } from './contentRecord.js';
