// Builds the portal once if its sources changed; every fault test file starts the built
// portal as its own process (the way `npm start` runs it), several times.
import { ensureBuilt } from '../../src/server/build.ts';
import { postgresBinaries } from '../../scripts/own-postgres.ts';

export default async function setup() {
  // Fails at once with a clear message when the PostgreSQL binaries are missing.
  postgresBinaries();
  await ensureBuilt({ quiet: true });
}
