/** `npm run reconcile`: see operator/reconcileCommand.ts. */
import { quietAwsSdk } from '../operator/cli.js';
import { main } from '../operator/reconcileCommand.js';

quietAwsSdk();
process.exitCode = await main(process.argv.slice(2));
