// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';
import svelte from '@astrojs/svelte';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { serviceWorker } from './src/offline/build-service-worker.ts';

/**
 * Writes a .gz and a .br beside every text asset of the build, at the strongest settings
 * (once, at build time); src/server/main.ts serves them to browsers that take them. The
 * stylesheet goes to a phone in about a fifth of its size.
 * @returns {import('astro').AstroIntegration}
 */
function precompressAssets() {
  return {
    name: 'ankommen:precompress-assets',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const root = fileURLToPath(dir);
        const files = await readdir(root, { recursive: true });
        for (const file of files.filter((f) => /\.(?:css|js|mjs|svg|json|txt|xml|webmanifest)$/.test(f))) {
          const path = `${root}/${file}`;
          const bytes = await readFile(path);
          await writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
          await writeFile(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        }
      },
    },
  };
}

export default defineConfig({
  output: 'server',
  // Middleware mode: src/server/main.ts owns the HTTP server so that it can migrate before
  // listening, drain requests on SIGTERM, set keep-alive and run the outbox worker.
  adapter: node({ mode: 'middleware' }),
  // The service worker first, so that /sw.js is compressed with the rest.
  integrations: [svelte(), serviceWorker(), precompressAssets()],
  trailingSlash: 'never',
  // No Markdown code blocks here; Shiki's inline styles would need CSP exceptions.
  markdown: { syntaxHighlight: false },
  // Our sessions live in PostgreSQL; Astro's file-based session store is not used.
  session: false,
  build: {
    // Inline <style> would need a CSP hash per page; files are cached and cheap.
    inlineStylesheets: 'never',
  },
  i18n: {
    defaultLocale: 'de',
    locales: ['de', 'en', 'ar', 'uk', 'tr', 'fa'],
    routing: 'manual',
  },
  security: {
    checkOrigin: true,
    // Astro may read X-Forwarded-Proto/-Host/-For: src/server/main.ts removes those headers
    // unless TRUST_PROXY says a proxy of ours sets them. Behind a TLS proxy Astro then sees
    // https, so the origin check compares like with like and cookies become Secure.
    allowedDomains: [{}],
    // Astro computes the script/style hashes; src/middleware.ts moves the policy into the
    // response header and adds the directives a <meta> policy cannot carry.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
      ],
    },
  },
  env: {
    schema: {
      TOWN_NAME: envField.string({ context: 'server', access: 'secret', default: 'Altena' }),
      TOWN_TIMEZONE: envField.string({ context: 'server', access: 'secret', default: 'Europe/Berlin' }),
      PUBLIC_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
    },
  },
  vite: {
    build: { sourcemap: false },
  },
});
