// Builds the portal if needed and starts it once for the browser tests, on a fresh embedded
// database holding the demo town (so the home page has activities to show).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBuilt } from '../../src/server/build.ts';
import { BOT_TOKEN, startFakeBotApi } from '../helpers/bot-api.ts';
import { startPortal } from '../helpers/portal.ts';
import { CHROMIUM } from './browser.ts';

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (npx playwright install cannot download browsers here).`);
  }
  await ensureBuilt({ quiet: true });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ankommen-e2e-'));
  const mailFile = path.join(dir, 'mails.jsonl');
  await writeFile(mailFile, '');

  // A local server speaking the Telegram Bot API, so that the Telegram pages are offered.
  const botApi = await startFakeBotApi();
  const env: Record<string, string> = { DATA_DIR: path.join(dir, 'pglite'), DEMO_TOWN: 'auto', TRUST_PROXY: 'true', TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: botApi.url };
  const portal = await startPortal(env, { mailFile });
  project.provide('baseUrl', portal.url);
  project.provide('mailFile', mailFile);
  project.provide('botApiUrl', botApi.url);

  return async () => {
    const code = await portal.stop('SIGTERM');
    await botApi.stop();
    await rm(dir, { recursive: true, force: true });
    if (code !== 0) {
      console.error(`portal exited with ${code}:\n${portal.output().slice(-3000)}`);
      throw new Error(`the portal exited with code ${code} on SIGTERM (expected 0)`);
    }
    console.log('[e2e] portal stopped cleanly (exit code 0)');
  };
}
