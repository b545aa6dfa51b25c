// Builds the Astro app when dist/ is missing or older than anything it is built from, so that
// `npm start` works straight after `npm install` and after a `git pull`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join(ROOT, 'dist', 'server', 'entry.mjs');
const SOURCES = ['src', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json'];

function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

export function buildIsCurrent(): boolean {
  if (!existsSync(ENTRY)) return false;
  const built = statSync(ENTRY).mtimeMs;
  return SOURCES.every((s) => newestChange(path.join(ROOT, s)) <= built);
}

export async function ensureBuilt(options: { quiet?: boolean } = {}): Promise<void> {
  if (buildIsCurrent()) return;
  if (!options.quiet) console.log('[build] building the portal (about 10 seconds)…');
  const astro = path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
  await new Promise<void>((resolve, reject) => {
    // process.execPath: the Node 24 that runs us, not whatever `node` is first on PATH.
    const child = spawn(process.execPath, [astro, 'build'], {
      cwd: ROOT,
      stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`astro build failed (exit ${code})`))));
  });
}
