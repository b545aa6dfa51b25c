// Running the bot inside the app server (src/server/main.ts): learning its name (getMe), taking
// updates by long polling or by webhook, and stopping cleanly on SIGTERM.
//
// - Polling (the default) needs no public address: one app server asks Telegram for updates.
//   Telegram serves one poller per bot; a second one is refused (409) and tries again every
//   CONFLICT_RETRY_MS — in a rolling restart the new server takes over once the old one stops.
//   With several app servers at once, use the webhook.
// - Webhook: Telegram posts each update to POST /telegram/webhook on the public address, with
//   the secret in X-Telegram-Bot-Api-Secret-Token; any app server answers. The address is
//   registered (setWebhook) at every start, so that it follows PUBLIC_URL.
// Sending (the outbox's transport) works in both modes on every app server.
//
// If Telegram cannot be reached at start, the portal starts all the same and asks again every
// GET_ME_RETRY_MS: until the bot knows its name, the channel is not offered (the account page
// shows no link, notifications go by e-mail).
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { GrammyError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { MessengerTransport } from '../outbox/worker.ts';
import { setTelegramAvailable } from '../notifications/channels-available.ts';
import { ALLOWED_UPDATES, createTelegramBot, describeCommands, type TelegramBotDeps } from './telegram-bot.ts';
import { createTelegramTransport } from './telegram-transport.ts';

export const WEBHOOK_PATH = '/telegram/webhook';
const GET_ME_RETRY_MS = 30_000;
const CONFLICT_RETRY_MS = 10_000;
const START_WAIT_MS = 10_000;
const STOP_WAIT_MS = 10_000;

export interface TelegramSettings {
  token: string;
  mode: 'polling' | 'webhook';
  webhookSecret: string | null;
  apiRoot: string;
}

export interface TelegramRuntime {
  transport: MessengerTransport;
  /** The bot's username once Telegram told it; null until then. */
  username(): string | null;
  /** Starts taking updates; `publicBaseUrl` is where Telegram posts them in webhook mode.
   * Resolves once the bot is up, or after START_WAIT_MS while it keeps trying. */
  start(publicBaseUrl: string): Promise<void>;
  /** Whether this request is a webhook post for the bot (webhook mode only). */
  isWebhookRequest(req: http.IncomingMessage): boolean;
  /** Answers a webhook post: 401 without the right secret, else handles the update and says 200. */
  handleWebhook(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** Stops polling (or waits for the webhook posts in hand) and the retries. */
  stop(): Promise<void>;
}

function log(message: string): void {
  console.warn(`[telegram] ${message}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Equal secrets, compared in constant time (of hashes: the length is not given away either). */
export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** A request body, whether Node still streams it or the server entry already read it. */
async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const kept = (req as http.IncomingMessage & { body?: Buffer }).body;
  if (kept) return kept;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createTelegramRuntime(settings: TelegramSettings, deps: Omit<TelegramBotDeps, 'context'>, options: { retryMs?: number } = {}): TelegramRuntime {
  const retryMs = options.retryMs ?? GET_ME_RETRY_MS;
  // Links in the bot's answers point at the public address, known once the server listens.
  const context = { baseUrl: '' };
  const bot: Bot = createTelegramBot({ token: settings.token, apiRoot: settings.apiRoot }, { ...deps, context });
  const transport = createTelegramTransport(deps.db, bot.api);
  let username: string | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  const inHand = new Set<Promise<unknown>>();
  /** Cuts a getMe in flight when the server stops. */
  const abort = new AbortController();

  const later = (ms: number, work: () => void) => {
    retry = setTimeout(work, ms);
    retry.unref();
  };

  function poll(): void {
    if (stopped) return;
    polling = bot.start({ allowed_updates: [...ALLOWED_UPDATES] }).catch((error: unknown) => {
      if (stopped) return;
      if (error instanceof GrammyError && error.error_code === 409) {
        log(`another server takes this bot's updates (409); trying again in ${CONFLICT_RETRY_MS / 1000} s. With several app servers, use TELEGRAM_MODE=webhook.`);
        later(CONFLICT_RETRY_MS, poll);
      } else {
        log(`polling stopped: ${describe(error)}`);
      }
    });
  }

  async function connect(publicBaseUrl: string): Promise<void> {
    try {
      // Asked once per try (bot.init() would retry on its own, silently and for ever): a failure
      // is logged and tried again after retryMs.
      // (grammY's types name the abort-controller package's signal; Node's own is what it takes.)
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe(abort.signal as Parameters<typeof bot.api.getMe>[0]);
    } catch (error) {
      if (stopped) return;
      if (error instanceof GrammyError && error.error_code === 401) {
        log('Telegram refused TELEGRAM_BOT_TOKEN (401): the channel stays off. Check the token with @BotFather.');
        return;
      }
      log(`could not reach Telegram (${describe(error)}); trying again in ${retryMs / 1000} s`);
      later(retryMs, () => void connect(publicBaseUrl));
      return;
    }
    if (stopped) return;
    // The commands menu is a nicety: without it the bot works all the same.
    await describeCommands(bot).catch((error: unknown) => log(`could not set the commands menu: ${describe(error)}`));
    try {
      if (settings.mode === 'webhook') {
        await bot.api.setWebhook(`${publicBaseUrl}${WEBHOOK_PATH}`, { secret_token: settings.webhookSecret!, allowed_updates: [...ALLOWED_UPDATES] });
      }
    } catch (error) {
      log(`could not register the webhook (${describe(error)}); trying again in ${retryMs / 1000} s`);
      later(retryMs, () => void connect(publicBaseUrl));
      return;
    }
    username = bot.botInfo.username;
    setTelegramAvailable(true);
    console.log(`[telegram] @${username} is up (${settings.mode === 'webhook' ? `webhook at ${publicBaseUrl}${WEBHOOK_PATH}` : 'long polling'})`);
    if (settings.mode === 'polling') poll();
  }

  return {
    transport,
    username: () => username,
    async start(publicBaseUrl) {
      context.baseUrl = publicBaseUrl.replace(/\/+$/, '');
      // A slow Telegram must not hold the portal back: after START_WAIT_MS it starts without the
      // bot, which comes up when Telegram answers.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([connect(context.baseUrl), new Promise<void>((resolve) => (waited = setTimeout(resolve, START_WAIT_MS)))]);
      clearTimeout(waited);
    },
    isWebhookRequest: (req) => settings.mode === 'webhook' && req.method === 'POST' && (req.url ?? '').split('?')[0] === WEBHOOK_PATH,
    async handleWebhook(req, res) {
      if (!settings.webhookSecret || !secretMatches(req.headers['x-telegram-bot-api-secret-token'], settings.webhookSecret)) {
        res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('wrong secret');
        return;
      }
      // Not ready yet (getMe has not answered): Telegram delivers the update again later.
      if (!username || stopped) {
        res.writeHead(503, { 'Retry-After': '5', 'Cache-Control': 'no-store' }).end();
        return;
      }
      let update: Update;
      try {
        update = JSON.parse((await readBody(req)).toString('utf8')) as Update;
        if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') throw new Error('not an update');
      } catch {
        res.writeHead(400, { 'Cache-Control': 'no-store' }).end();
        return;
      }
      const handling = bot.handleUpdate(update).catch((error: unknown) => (deps.onError ?? ((e) => log(describe(e))))(error));
      inHand.add(handling);
      try {
        await handling;
      } finally {
        inHand.delete(handling);
      }
      // Handled, or failed and logged: either way Telegram need not send it again.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end('{}');
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      abort.abort();
      setTelegramAvailable(false);
      // Stopping confirms the updates handled (one more getUpdates) and lets the update in hand
      // finish; an unreachable Telegram must not hold the shutdown for long.
      let waited: NodeJS.Timeout | undefined;
      const finished = (async () => {
        if (bot.isRunning()) await bot.stop().catch((error: unknown) => log(`stopping: ${describe(error)}`));
        await polling;
        await Promise.all(inHand);
      })();
      await Promise.race([finished, new Promise<void>((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(waited);
    },
  };
}
