/** `npm run ingest -- <files or folders> --endpoint <url>`: see lib/operator/ingestCommand.ts. */
import { main } from '../operator/ingestCommand.js';

process.exitCode = await main(process.argv.slice(2));
