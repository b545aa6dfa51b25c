// Starts the built portal as its own process (the way `npm start` runs it) and reads what it
// logs: the address it listens on and the mails it writes to the log without SMTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LoggedMail {
  to: string;
  /** The Message-ID, the same for every attempt of one outbox row: <outbox-<id>@host>. */
  messageId: string;
  subject: string;
  text: string;
}

export interface Portal {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Standard output alone: a mail block there is never cut by a warning on standard error. */
  stdout(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Parses the mail blocks that the log transport prints (see src/features/outbox/worker.ts). */
export function parseLoggedMails(log: string): LoggedMail[] {
  const mails: LoggedMail[] = [];
  const pattern = /^\[mail\] to=(\S+) id=(\S+) subject=(".*")\n((?:  \| .*\n?)*)\[mail\] end$/gm;
  for (const match of log.matchAll(pattern)) {
    const text = (match[4] ?? '').split('\n').filter(Boolean).map((line) => line.replace(/^  \| ?/, '')).join('\n');
    mails.push({ to: match[1] ?? '', messageId: match[2] ?? '', subject: JSON.parse(match[3] ?? '""') as string, text });
  }
  return mails;
}

export async function startPortal(env: Record<string, string>, options: { mailFile?: string } = {}): Promise<Portal> {
  const child = spawn(process.execPath, ['src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', OUTBOX_INTERVAL_MS: '100', ASTRO_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let stdout = '';
  let pending = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    log += chunk;
    stdout += chunk;
    if (options.mailFile) {
      // Hand complete mail blocks to the test files, which run in other processes.
      pending += chunk;
      const end = pending.lastIndexOf('[mail] end');
      if (end >= 0) {
        const complete = pending.slice(0, end + '[mail] end'.length);
        pending = pending.slice(end + '[mail] end'.length);
        for (const mail of parseLoggedMails(complete)) appendFileSync(options.mailFile, `${JSON.stringify(mail)}\n`);
      }
    }
  });
  child.stderr!.on('data', (chunk: string) => {
    log += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start:\n${log}`)), 60_000);
    const check = () => {
      const match = /\[server\] Ankommen on (http:\/\/\S+)/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portal exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    child,
    output: () => log,
    stdout: () => stdout,
    stop(signal = 'SIGTERM') {
      // A process ended by a signal has no exit code but a signalCode.
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
