// A PostgreSQL server of our own for one run of the benchmark or the fault tests: initdb into
// a temporary folder with the PostgreSQL binaries on this machine, started on a free loopback
// port with its socket in that folder, stopped and removed afterwards. It can be stopped and
// started again in the middle (the fault tests do), keeping its data.
//
// PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user
// (runuser), which owns the temporary folder.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The server's log, for a failing run's report. */
  logFile: string;
  /** Stops the server: 'fast' ends sessions and checkpoints (a clean restart), 'immediate' is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it if running and removes its folder. */
  remove(): Promise<void>;
}

/** The folder of initdb, pg_ctl and postgres: the newest /usr/lib/postgresql/<n>/bin, or PATH. */
export function postgresBinaries(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], 'bin');
  }
  try {
    const initdb = execFileSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).trim();
    if (initdb) return path.dirname(initdb);
  } catch {
    // not on PATH either
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in /usr/lib/postgresql/<version>/bin or on PATH. ' +
      'Install them, e.g. `apt-get install -y postgresql` on Debian, and run again.',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startOwnPostgres(options: { settings?: Record<string, string> } = {}): Promise<OwnPostgres> {
  const bin = postgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ankommen-pg-'));
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(folder, uid, gid);
  }
  /** Runs a PostgreSQL program, as the postgres user when we are root. */
  const pg = (program: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]) : run(path.join(bin, program), args);

  await pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: folder, max_connections: '200', ...options.settings };
  const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  let running = false;

  const handle: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    logFile,
    async start() {
      await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      await pg('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async remove() {
      try {
        await handle.stop('immediate');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
  try {
    await handle.start();
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return handle;
}
