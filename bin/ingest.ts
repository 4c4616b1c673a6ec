/** `npm run ingest -- <files or folders> --endpoint <url> | --local`: see operator/ingestCommand.ts. */
import { quietAwsSdk } from '../operator/cli.js';
import { main } from '../operator/ingestCommand.js';

quietAwsSdk();
process.exitCode = await main(process.argv.slice(2));
