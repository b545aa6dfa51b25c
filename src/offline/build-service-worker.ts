// Builds /sw.js after `astro build`: Serwist's manifest of what to precache (@serwist/build,
// with a revision for each file), bundled with the worker's source by esbuild into one classic
// script of a few kilobytes. Runs in the build only; src/server/main.ts serves the result with
// `Cache-Control: no-cache`, so that browsers see a new build's worker at their next visit.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getManifest } from '@serwist/build';
import type { AstroIntegration } from 'astro';
import { build } from 'esbuild';
import { LOCALES, localePath } from '../i18n/locales.ts';
import { SERVICE_WORKER_PATH } from '../server/service-worker-headers.ts';
import { NOT_SENT_PAGE, OFFLINE_PAGE } from './kept-pages.ts';

/** What the build puts into dist/client that the worker precaches: the stylesheet (its name
 * carries a hash of its content), the icons and the favicon. */
const PRECACHED_FILES = ['_astro/*.css', 'icons/*.{png,svg}', 'favicon.svg'];

/** What the worker's own source is built from, besides itself. */
const SOURCE = 'src/offline/service-worker.ts';

/**
 * A revision for the offline pages, which the server renders: they change only when the
 * portal's sources or packages do, so the sources are hashed (a hash of the built server would
 * change with every build, since Astro puts a fresh random key into it).
 */
async function sourceRevision(root: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(path.join(root, 'src'), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const file of [...files, path.join(root, 'package-lock.json')]) {
    hash.update(path.relative(root, file));
    hash.update(await readFile(file).catch(() => Buffer.alloc(0)));
  }
  return hash.digest('hex').slice(0, 16);
}

export function serviceWorker(): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'ankommen:service-worker',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = fileURLToPath(config.root);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const client = fileURLToPath(dir);
        const revision = await sourceRevision(root);
        const offlinePages = LOCALES.flatMap((locale) => [OFFLINE_PAGE, NOT_SENT_PAGE].map((page) => ({ url: localePath(locale, page), revision })));
        const { manifestEntries, count, size, warnings } = await getManifest({
          globDirectory: client,
          globPatterns: PRECACHED_FILES,
          modifyURLPrefix: { '': '/' },
          // Hashed names change with their content: no revision needed.
          dontCacheBustURLsMatching: /^\/_astro\//,
          additionalPrecacheEntries: offlinePages,
        });
        for (const warning of warnings) logger.warn(warning);
        const result = await build({
          entryPoints: [path.join(root, SOURCE)],
          bundle: true,
          format: 'iife',
          platform: 'browser',
          target: 'es2022',
          minify: true,
          write: false,
          define: {
            // Serwist's development logs and assertions go.
            'process.env.NODE_ENV': '"production"',
            'self.__SW_MANIFEST': JSON.stringify(manifestEntries ?? []),
          },
        });
        const code = result.outputFiles[0]!.contents;
        await writeFile(path.join(client, SERVICE_WORKER_PATH.slice(1)), code);
        logger.info(`${SERVICE_WORKER_PATH}: ${code.byteLength} bytes, precaching ${count} files (${size} bytes before the offline pages), in ${Math.round(performance.now() - started)} ms`);
      },
    },
  };
}
