/** `npm run replay`: see operator/replayCommand.ts. */
import { quietAwsSdk } from '../operator/cli.js';
import { main } from '../operator/replayCommand.js';

quietAwsSdk();
process.exitCode = await main(process.argv.slice(2));
