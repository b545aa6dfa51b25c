// A person with a browser, for HTTP tests: keeps cookies, sends forms the way a browser does
// (with Origin), follows redirects by hand so tests can see each step, and reads pages.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { inject } from 'vitest';
import { TEST_ACCOUNTS } from './accounts.ts';
import type { LoggedMail } from './portal.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mailFile: string;
    activities: Record<string, number>;
  }
}

/** Addresses never repeat across test files (each file runs in a fresh module scope). */
function randomAddress(): string {
  const byte = () => Math.floor(Math.random() * 254) + 1;
  return `10.${byte()}.${byte()}.${byte()}`;
}

export class Visitor {
  readonly baseUrl = inject('baseUrl');
  readonly cookies = new Map<string, string>();
  /** Each visitor comes from its own address (the portal trusts X-Forwarded-For in tests),
   * so that one test's rate limits do not spill into another. */
  readonly ip: string;

  constructor(ip?: string) {
    this.ip = ip ?? randomAddress();
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'X-Forwarded-For': this.ip, 'Accept-Language': 'de', ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), { headers: this.headers(headers), redirect: 'manual' });
    this.remember(response);
    return response;
  }

  /** Posts a form; `origin: null` leaves the Origin header out, a string sends that one;
   * `referer` is the page the form was on, as browsers send it. */
  async post(path: string, fields: Record<string, string> | URLSearchParams, options: { origin?: string | null; referer?: string } = {}): Promise<Response> {
    const origin = options.origin === undefined ? new URL(this.baseUrl).origin : options.origin;
    const referer: Record<string, string> = options.referer ? { Referer: new URL(options.referer, this.baseUrl).toString() } : {};
    const response = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}), ...referer }),
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  /** Posts, then follows the 303 like a browser; returns the final page and its status. */
  async submit(path: string, action: string, fields: Record<string, string> | URLSearchParams): Promise<{ status: number; html: string; url: string; posted: Response }> {
    const posted = await this.post(`${path}${path.includes('?') ? '&' : '?'}_action=${action}`, fields);
    let response = posted;
    let url = path;
    for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400; hops++) {
      url = response.headers.get('location') ?? '/';
      response = await this.get(url);
    }
    return { status: response.status, html: await response.text(), url, posted };
  }

  /**
   * Submits a form as a browser does from the page at `page`: the form's action
   * ("?_action=…") replaces the page's query, and the page goes along as Referer unless
   * `referer: false` (a browser or extension that sends none).
   */
  async submitFrom(page: string, action: string, fields: Record<string, string>, options: { referer?: boolean } = {}): Promise<{ status: number; html: string; url: string; posted: Response }> {
    const path = new URL(page, this.baseUrl).pathname;
    const posted = await this.post(`${path}?_action=${action}`, fields, options.referer === false ? {} : { referer: page });
    let response = posted;
    let url = path;
    for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400; hops++) {
      url = response.headers.get('location') ?? '/';
      response = await this.get(url);
    }
    return { status: response.status, html: await response.text(), url, posted };
  }

  async signIn(email: string, password: string): Promise<void> {
    const result = await this.submit('/sign-in', 'accounts.signIn', { login: email, password });
    if (!this.cookies.has('session')) throw new Error(`sign-in failed (${result.status}): ${fieldError(result.html, 'password')}`);
  }
}

export type TestAccount = keyof typeof TEST_ACCOUNTS;

/** One signed-in visitor per test account, made on first use (per test file: each file has
 * its own module scope). */
const signedIn = new Map<TestAccount, Visitor>();
export async function as(account: TestAccount): Promise<Visitor> {
  let visitor = signedIn.get(account);
  if (!visitor) {
    visitor = new Visitor();
    await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
    signedIn.set(account, visitor);
  }
  return visitor;
}

/** Form fields as a browser sends them: a list (checkboxes of one name) as repeated fields. */
export function form(fields: Record<string, string | string[]>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  return params;
}

/** A page as the visitor gets it: status, HTML and its text. */
export async function page(visitor: Visitor, path: string): Promise<{ status: number; html: string; text: string }> {
  const response = await visitor.get(path);
  const html = await response.text();
  return { status: response.status, html, text: stripTags(html) };
}

/** The message shown next to a field, or null. */
export function fieldError(html: string, field: string): string | null {
  const match = new RegExp(`id="field-${field}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return match ? stripTags(match[1] ?? '') : null;
}

export function stripTags(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
}

/** The mails to an address, waiting up to the timeout for `atLeast` of them; `about` and
 * `containing` narrow them to a subject and a text (a request's own link, say), so that mails
 * other test files caused do not stand in for the one expected. */
export async function mailsTo(address: string, options: { atLeast?: number; timeoutMs?: number; about?: string; containing?: string } = {}): Promise<LoggedMail[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const text = await readFile(inject('mailFile'), 'utf8');
    const mails = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LoggedMail).filter((m) => m.to === address && (!options.about || m.subject.includes(options.about)) && (!options.containing || m.text.includes(options.containing)));
    if (mails.length >= (options.atLeast ?? 1) || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function linkIn(mail: LoggedMail): URL {
  const match = /https?:\/\/\S+/.exec(mail.text);
  if (!match) throw new Error(`no link in mail: ${mail.text}`);
  return new URL(match[0]);
}

/** A GET as the bytes arrive, without fetch's own decompression. */
export function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, inject('baseUrl')), { headers: { 'Accept-Language': 'de', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
