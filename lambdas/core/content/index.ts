export { articleIdFromFileName, CONTENT_FILE, parseContentFile, type ContentFileOptions } from './contentFile.js';
export { contentMediaDocuments, MEDIA_PREFIX, MediaFileError, type MediaDocument } from './media.js';
export { ingestContentFiles, type ContentFile } from './ingestContentFiles.js';
export { describeFieldErrors, readContentRecord, type ContentRecordOptions, type ContentRecordResult } from './contentRecord.js';
