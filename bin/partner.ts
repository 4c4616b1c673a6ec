/** `npm run partner -- add|list|revoke NAME [--kvs-arn ARN]`: see operator/partnerCommand.ts. */
import { quietAwsSdk } from '../operator/cli.js';
import { main } from '../operator/partnerCommand.js';

quietAwsSdk();
process.exitCode = await main(process.argv.slice(2));
