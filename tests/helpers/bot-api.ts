// A local HTTP server that speaks the Telegram Bot API (https://core.telegram.org/bots/api), as
// far as the portal uses it: getMe, long polling with getUpdates (offsets confirmed the way
// Telegram confirms them), setWebhook/deleteWebhook, setMyCommands, sendMessage,
// editMessageText and answerCallbackQuery. grammY is pointed at it (TELEGRAM_API_ROOT, or the
// bot's client.apiRoot), so the real client code runs: JSON over HTTP, error codes and
// retry_after included.
//
// It records every call, keeps the messages it "delivered" per chat (so that a button press
// carries the message's text, as Telegram's does), can be told to refuse a chat (403 blocked,
// 400 chat not found) or to answer 429 with retry_after, and feeds updates to getUpdates or
// posts them to the registered webhook.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser tests' Bot API server (tests/e2e/setup.ts). */
    botApiUrl: string;
  }
}

export const BOT_TOKEN = '123456:TEST-token-for-the-fake-bot-api';
export const BOT_USERNAME = 'ankommen_test_bot';
export const BOT_ID = 123456;

export interface BotApiCall {
  method: string;
  params: Record<string, any>;
}

export interface SentMessage {
  message_id: number;
  chat: { id: number; type: 'private' };
  date: number;
  text: string;
  entities?: Array<{ type: string; offset: number; length: number }>;
  reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> };
}

interface Failure {
  code: number;
  description: string;
  retryAfter?: number;
  /** How many calls it answers; Infinity for all. */
  times: number;
  /** How many calls still succeed before it starts. */
  after?: number;
}

type Update = Record<string, any> & { update_id: number };

export class FakeBotApi {
  readonly token: string;
  readonly calls: BotApiCall[] = [];
  /** What each chat has been sent, as Telegram keeps it (edits applied). */
  readonly chats = new Map<number, SentMessage[]>();
  webhook: { url: string; secret: string | undefined } | null = null;
  private server: http.Server | null = null;
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private nextCallbackId = 1;
  private updates: Update[] = [];
  private waiters = new Set<() => void>();
  private failures = new Map<string, Failure[]>();
  private offline = false;

  constructor(token = BOT_TOKEN) {
    this.token = token;
  }

  /** The address to give grammY as apiRoot (TELEGRAM_API_ROOT). */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  // ---------------------------------------------------------------------------------------------
  // Telling it how to behave.

  /** Every sendMessage to this chat is refused (403 "blocked by the user" unless told otherwise). */
  refuseChat(chatId: number, failure: Partial<Failure> = {}): void {
    this.fail(`sendMessage:${chatId}`, { code: 403, description: 'Forbidden: bot was blocked by the user', times: Infinity, ...failure });
  }

  /** The next `times` sendMessage calls to this chat get 429 with retry_after (after `after`
   * calls that still go through). */
  rateLimitChat(chatId: number, retryAfter: number, times = 1, after = 0): void {
    this.fail(`sendMessage:${chatId}`, { code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter, times, after });
  }

  /** The next `times` calls of a method (any chat) fail with this answer. */
  failMethod(method: string, failure: Partial<Failure> & { code: number; description: string }): void {
    this.fail(method, { times: 1, ...failure });
  }

  /** Drops connections without an answer, as a network that is down does. */
  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  private fail(key: string, failure: Failure): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), failure]);
  }

  private takeFailure(...keys: string[]): Failure | null {
    for (const key of keys) {
      const list = this.failures.get(key);
      const failure = list?.[0];
      if (!failure) continue;
      if (failure.after) {
        failure.after -= 1;
        return null;
      }
      failure.times -= 1;
      if (failure.times <= 0) list!.shift();
      return failure;
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading what happened.

  callsOf(method: string): BotApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages sent to a chat (text, entities, buttons), edits applied. */
  messagesTo(chatId: number): SentMessage[] {
    return this.chats.get(chatId) ?? [];
  }

  /** Waits until a call matching the test has been made, and returns it. */
  async waitForCall(method: string, test: (params: Record<string, any>) => boolean = () => true, timeoutMs = 10_000): Promise<BotApiCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && test(c.params));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${method} call came within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits until the chat has been sent at least `count` messages. */
  async waitForMessages(chatId: number, count = 1, timeoutMs = 10_000): Promise<SentMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messagesTo(chatId).length < count) {
      if (Date.now() > deadline) throw new Error(`chat ${chatId} got ${this.messagesTo(chatId).length} messages, not ${count}, within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.messagesTo(chatId);
  }

  // ---------------------------------------------------------------------------------------------
  // Updates: what people do in Telegram.

  static user(chatId: number, languageCode = 'de') {
    return { id: chatId, is_bot: false, first_name: `Person ${chatId}`, language_code: languageCode };
  }

  /** A text message from a person in their private chat with the bot; a leading /command is
   * marked as Telegram marks it. */
  textUpdate(chatId: number, text: string, languageCode = 'de'): Update {
    const command = /^\/\w+/.exec(text);
    return {
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: `Person ${chatId}` },
        from: FakeBotApi.user(chatId, languageCode),
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    };
  }

  /** A press on a button of a message the bot sent to the chat (or of any data: a forged one). */
  buttonUpdate(chatId: number, message: SentMessage | null, data: string): Update {
    return {
      update_id: this.nextUpdateId++,
      callback_query: {
        id: String(this.nextCallbackId++),
        from: FakeBotApi.user(chatId),
        chat_instance: `instance-${chatId}`,
        data,
        ...(message ? { message: { ...message, from: { id: BOT_ID, is_bot: true, first_name: 'Ankommen', username: BOT_USERNAME } } } : {}),
      },
    };
  }

  /** The person blocks the bot (or, `member`, unblocks it). */
  blockUpdate(chatId: number, status: 'kicked' | 'member' = 'kicked'): Update {
    const bot = { id: BOT_ID, is_bot: true, first_name: 'Ankommen', username: BOT_USERNAME };
    const date = Math.floor(Date.now() / 1000);
    return {
      update_id: this.nextUpdateId++,
      my_chat_member: {
        chat: { id: chatId, type: 'private', first_name: `Person ${chatId}` },
        from: FakeBotApi.user(chatId),
        date,
        old_chat_member: { user: bot, status: status === 'kicked' ? 'member' : 'kicked', ...(status === 'kicked' ? {} : { until_date: 0 }) },
        new_chat_member: { user: bot, status, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    };
  }

  /** Hands an update to the bot's next getUpdates (long polling). */
  queue(update: Update): Update {
    this.updates.push(update);
    for (const wake of this.waiters) wake();
    return update;
  }

  /** Whether every queued update has been fetched and confirmed (the next offset passed it). */
  get pendingUpdates(): number {
    return this.updates.length;
  }

  /** Posts an update to the registered webhook as Telegram does, with the given secret header
   * (the registered one unless told otherwise; null: none). */
  async postToWebhook(update: Update, secret: string | null | undefined = undefined): Promise<Response> {
    if (!this.webhook) throw new Error('no webhook is set');
    const header = secret === undefined ? this.webhook.secret : secret;
    return fetch(this.webhook.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(header ? { 'X-Telegram-Bot-Api-Secret-Token': header } : {}) },
      body: JSON.stringify(update),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The API.

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.offline) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    const send = (status: number, body: unknown) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    // For tests in other processes (the browser tests' workers): a person writes to the bot, and
    // what a chat was sent. Not part of the Bot API.
    if (req.url === '/test/write' && req.method === 'POST') {
      const { chatId, text, languageCode } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chatId: number; text: string; languageCode?: string };
      return send(200, this.queue(this.textUpdate(chatId, text, languageCode)));
    }
    const sent = /^\/test\/chats\/(-?\d+)$/.exec(req.url ?? '');
    if (sent && req.method === 'GET') return send(200, this.messagesTo(Number(sent[1])));
    const error = (code: number, description: string, parameters?: Record<string, unknown>) => send(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
    if (!match) return error(404, 'Not Found');
    const [, token, method] = match as unknown as [string, string, string];
    const raw = Buffer.concat(chunks).toString('utf8');
    const params = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    this.calls.push({ method, params });
    if (token !== this.token) return error(401, 'Unauthorized');

    const chatId = params.chat_id === undefined ? null : Number(params.chat_id);
    const failure = this.takeFailure(chatId === null ? '' : `${method}:${chatId}`, method);
    if (failure) return error(failure.code, failure.description, failure.retryAfter === undefined ? undefined : { retry_after: failure.retryAfter });

    const ok = (result: unknown) => send(200, { ok: true, result });
    switch (method) {
      case 'getMe':
        return ok({ id: BOT_ID, is_bot: true, first_name: 'Ankommen', username: BOT_USERNAME, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'setWebhook':
        this.webhook = { url: String(params.url), secret: params.secret_token };
        return ok(true);
      case 'deleteWebhook':
        this.webhook = null;
        return ok(true);
      case 'setMyCommands':
      case 'answerCallbackQuery':
        return ok(true);
      case 'getUpdates':
        return ok(await this.takeUpdates(params, req));
      case 'sendMessage': {
        const message: SentMessage = {
          message_id: this.nextMessageId++,
          chat: { id: chatId!, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          text: String(params.text),
          ...(params.entities ? { entities: params.entities } : {}),
          ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
        };
        this.chats.set(chatId!, [...this.messagesTo(chatId!), message]);
        return ok(message);
      }
      case 'editMessageText': {
        const message = this.messagesTo(chatId!).find((m) => m.message_id === Number(params.message_id));
        if (!message) return error(400, 'Bad Request: message to edit not found');
        if (message.text === params.text && JSON.stringify(message.reply_markup ?? null) === JSON.stringify(params.reply_markup ?? null)) {
          return error(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
        }
        message.text = String(params.text);
        if (params.entities) message.entities = params.entities;
        else delete message.entities;
        if (params.reply_markup) message.reply_markup = params.reply_markup;
        else delete message.reply_markup;
        return ok(message);
      }
      default:
        return error(404, 'Not Found: method not found');
    }
  }

  /** getUpdates: confirms what came before `offset`, answers what is queued, or waits up to
   * `timeout` seconds for something to come (the long poll), as Telegram does. */
  private async takeUpdates(params: Record<string, any>, req: http.IncomingMessage): Promise<Update[]> {
    const offset = Number(params.offset ?? 0);
    const limit = Number(params.limit ?? 100);
    const fetchable = () => {
      this.updates = this.updates.filter((u) => u.update_id >= offset);
      return this.updates.slice(0, limit);
    };
    const now = fetchable();
    const timeout = Number(params.timeout ?? 0);
    if (now.length || timeout <= 0) return now;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        req.socket.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, timeout * 1000);
      this.waiters.add(done);
      // grammY aborts the long poll when the bot stops.
      req.socket.once('close', done);
    });
    return fetchable();
  }
}

export async function startFakeBotApi(): Promise<FakeBotApi> {
  return new FakeBotApi().start();
}

/** A person writes to the bot, through the server at `apiRoot` (from another process). */
export async function writeToBot(apiRoot: string, chatId: number, text: string, languageCode = 'de'): Promise<void> {
  const response = await fetch(`${apiRoot}/test/write`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ chatId, text, languageCode }) });
  if (!response.ok) throw new Error(`the Bot API server answered ${response.status}`);
}

/** What the bot sent to a chat, asked from another process. */
export async function messagesToChat(apiRoot: string, chatId: number): Promise<SentMessage[]> {
  return (await (await fetch(`${apiRoot}/test/chats/${chatId}`)).json()) as SentMessage[];
}
