// `npm run serve`: the production process.
import { main } from './server.js';

await main();
