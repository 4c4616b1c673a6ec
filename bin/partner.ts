/** `npm run partner -- add|list|revoke NAME [--kvs-arn ARN]`: see lib/operator/partnerCommand.ts. */
import { main } from '../operator/partnerCommand.js';

process.exitCode = await main(process.argv.slice(2));
