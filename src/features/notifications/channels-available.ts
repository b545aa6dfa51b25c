// Which channels this installation can deliver on, beyond e-mail (always there: without SMTP a
// mail goes to the log). Telegram can carry a message only while a bot runs: the server entry
// (src/server/main.ts, where the Telegram bot is started) says so with setTelegramAvailable;
// routing (notifications.service.ts) then offers Telegram to people who linked a chat.
//
// The fact is kept on globalThis, not in a module variable: the server entry and the built
// Astro app (dist/server) each load their own copy of this module, and enqueueMessage runs in
// both (reminders and the weekly programme in the entry, form actions in the app). A variable
// set in one copy would stay false in the other.
const KEY = Symbol.for('ankommen.notifications.telegramAvailable');

type Holder = { [KEY]?: boolean };

/** Called when the Telegram bot starts (true) or stops (false). Without a call: false. */
export function setTelegramAvailable(available: boolean): void {
  (globalThis as Holder)[KEY] = available;
}

export function isTelegramAvailable(): boolean {
  return (globalThis as Holder)[KEY] === true;
}
