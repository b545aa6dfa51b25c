// Configuration of the server entry and the command-line tools, from the environment.
// (The Astro app reads its own through astro:env; see astro.config.mjs.) README lists all.
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  demoTown: 'auto' | 'off';
  smtpUrl: string | undefined;
  mailFrom: string;
  townName: string;
  timeZone: string;
  publicUrl: string | undefined;
  /** Whether X-Forwarded-For/-Proto/-Host come from a proxy of ours and may be believed. */
  trustProxy: boolean;
  /** How many proxies of ours each request passes (each appends to X-Forwarded-For): the
   * client is that many entries from the right. */
  trustedProxyHops: number;
  outboxIntervalMs: number;
  shutdownTimeoutMs: number;
  /** The Telegram bot, or null when TELEGRAM_BOT_TOKEN is unset: the channel is then not offered. */
  telegram: TelegramConfig | null;
}

export interface TelegramConfig {
  token: string;
  /** Long polling (one app server asks Telegram for updates) or a webhook (Telegram posts them
   * to POST /telegram/webhook on any app server). */
  mode: 'polling' | 'webhook';
  /** The secret Telegram sends with every webhook request (X-Telegram-Bot-Api-Secret-Token). */
  webhookSecret: string | null;
  /** The Bot API server; tests point it at a local one. */
  apiRoot: string;
}

/** The town when TOWN_NAME is unset or empty (astro.config.mjs gives astro:env the same default). */
export const DEFAULT_TOWN_NAME = 'Altena';

/** The configured town's name, for code that runs outside Astro or must not import astro:env. */
export function townName(env: NodeJS.ProcessEnv = process.env): string {
  return env.TOWN_NAME || DEFAULT_TOWN_NAME;
}

function integer(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return value;
}

function proxyHops(env: NodeJS.ProcessEnv): number {
  const hops = integer('TRUSTED_PROXY_HOPS', 1, env);
  if (hops < 1) throw new Error('TRUSTED_PROXY_HOPS must be 1 or more (the proxies in front of the portal)');
  return hops;
}

/** Telegram allows 1–256 characters of A–Z, a–z, 0–9, _ and - for the webhook's secret; we ask
 * for at least 32, so that it cannot be guessed. */
const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{32,256}$/;

function telegramConfig(env: NodeJS.ProcessEnv): TelegramConfig | null {
  const token = env.TELEGRAM_BOT_TOKEN?.trim();
  if (!token) return null;
  const mode = env.TELEGRAM_MODE || 'polling';
  if (mode !== 'polling' && mode !== 'webhook') throw new Error(`TELEGRAM_MODE must be "polling" or "webhook", not "${mode}"`);
  const webhookSecret = env.TELEGRAM_WEBHOOK_SECRET || null;
  if (mode === 'webhook') {
    if (!webhookSecret) throw new Error('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (32–256 characters of A–Z, a–z, 0–9, _ and -)');
    if (!WEBHOOK_SECRET.test(webhookSecret)) throw new Error('TELEGRAM_WEBHOOK_SECRET must be 32–256 characters of A–Z, a–z, 0–9, _ and - (e.g. `openssl rand -hex 32`)');
  }
  const apiRoot = (env.TELEGRAM_API_ROOT || 'https://api.telegram.org').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(apiRoot)) throw new Error(`TELEGRAM_API_ROOT must be an http(s) address, not "${apiRoot}"`);
  return { token, mode, webhookSecret: mode === 'webhook' ? webhookSecret : null, apiRoot };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const demo = env.DEMO_TOWN ?? 'auto';
  if (demo !== 'auto' && demo !== 'off') throw new Error(`DEMO_TOWN must be "auto" or "off", not "${demo}"`);
  return {
    port: integer('PORT', 4321, env),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || path.resolve('data', 'pglite'),
    poolSize: integer('DATABASE_POOL_SIZE', 10, env),
    demoTown: demo,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Ankommen <no-reply@localhost>',
    townName: townName(env),
    timeZone: env.TOWN_TIMEZONE || 'Europe/Berlin',
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: ['1', 'true', 'yes'].includes((env.TRUST_PROXY ?? '').toLowerCase()),
    trustedProxyHops: proxyHops(env),
    outboxIntervalMs: integer('OUTBOX_INTERVAL_MS', 2_000, env),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 25_000, env),
    telegram: telegramConfig(env),
  };
}
