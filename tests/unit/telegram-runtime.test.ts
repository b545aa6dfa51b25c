// The bot inside the server: it learns its name from Telegram before the channel is offered; a
// Telegram it cannot reach at start does not stop the portal (the bot comes up when Telegram
// answers), a token Telegram refuses leaves the channel off; polling stops promptly.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { isTelegramAvailable } from '../../src/features/notifications/channels-available.ts';
import { createTelegramRuntime, type TelegramRuntime } from '../../src/features/telegram/telegram-runtime.ts';
import { BOT_TOKEN, BOT_USERNAME, FakeBotApi } from '../helpers/bot-api.ts';
import { createTestDatabase } from '../helpers/database.ts';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let api: FakeBotApi;
let runtime: TelegramRuntime | null = null;

beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
  api = await new FakeBotApi().start();
});
afterEach(async () => {
  await runtime?.stop();
  runtime = null;
  api.setOffline(false);
  api.calls.length = 0;
  vi.restoreAllMocks();
});
afterAll(async () => {
  await api?.stop();
  await handle?.close();
});

const start = (token = BOT_TOKEN) => {
  runtime = createTelegramRuntime({ token, mode: 'polling', webhookSecret: null, apiRoot: api.url }, { db, answers: null, townName: 'Altena' }, { retryMs: 100 });
  return runtime;
};

describe('the bot in the server', () => {
  it('comes up with its name, says Telegram is available, polls, and stops polling promptly', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const bot = start();
    expect(bot.username()).toBeNull();
    await bot.start('https://ankommen.example/');
    expect(bot.username()).toBe(BOT_USERNAME);
    expect(isTelegramAvailable()).toBe(true);
    await api.waitForCall('getUpdates', (p) => p.timeout === 30);
    const began = Date.now();
    await bot.stop();
    // The long poll was cut, not waited out (30 s).
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(isTelegramAvailable()).toBe(false);
  });

  it('starts without Telegram when it cannot be reached, and comes up when it can', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    api.setOffline(true);
    const bot = start();
    await bot.start('https://ankommen.example');
    expect(bot.username()).toBeNull();
    expect(isTelegramAvailable()).toBe(false);
    expect(warn.mock.calls.flat().join(' ')).toMatch(/could not reach Telegram/);
    api.setOffline(false);
    await expect.poll(() => bot.username(), { timeout: 5_000 }).toBe(BOT_USERNAME);
    expect(isTelegramAvailable()).toBe(true);
  });

  it('leaves the channel off when Telegram refuses the token, and does not ask again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bot = start('999:wrong');
    await bot.start('https://ankommen.example');
    expect(bot.username()).toBeNull();
    expect(warn.mock.calls.flat().join(' ')).toMatch(/refused TELEGRAM_BOT_TOKEN \(401\)/);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.callsOf('getMe')).toHaveLength(1);
    expect(isTelegramAvailable()).toBe(false);
  });
});
