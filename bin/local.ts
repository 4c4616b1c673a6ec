/** `npm start`: see local/startCommand.ts. */
import { main } from '../local/startCommand.js';

await main(process.argv.slice(2));
