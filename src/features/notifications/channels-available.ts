// Which channels besides e-mail can carry messages right now. The Telegram bot says when it is
// up (src/features/telegram/telegram-runtime.ts: setTelegramAvailable(true) once it knows its
// name, false when it stops); message routing asks isTelegramAvailable() before choosing
// Telegram for anyone.
let telegramAvailable = false;

export function setTelegramAvailable(available: boolean): void {
  telegramAvailable = available;
}

export function isTelegramAvailable(): boolean {
  return telegramAvailable;
}
