// `npm run serve`: the production process, run from the bundle the build made (see server-bundle.cts).
import { loadBundle } from './server-bundle.cjs';

const bundle = loadBundle();
void bundle.exports.main(bundle.serverBundle);
