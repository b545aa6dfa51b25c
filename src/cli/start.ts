// `npm start`: builds the portal when the build is missing or older than the sources, then
// starts the server (src/server/main.ts) in this process.
import { ensureBuilt } from '../server/build.ts';
import { runFromCommandLine } from '../server/main.ts';

await ensureBuilt();
await runFromCommandLine();
