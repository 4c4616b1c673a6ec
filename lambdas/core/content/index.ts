export { articleIdFromFileName, CONTENT_FILE, parseContentFile } from './contentFile.js';
