/** `npm run ingest -- <files or folders> --endpoint <url>`: see lib/operator/ingestCommand.ts. */
import { main } from '../lib/operator/ingestCommand.js';

process.exitCode = await main(process.argv.slice(2));
