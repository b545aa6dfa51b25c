/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Handed in by the server entry (src/server/main.ts) with every request. */
    db: import('kysely').Kysely<import('./db/schema.ts').Database>;
    databaseKind: import('./db/database.ts').DatabaseKind;
    /** Rises with every committed change a visitor could see; the page cache keys on it. */
    contentVersion?: import('./db/content-changes.ts').ContentVersion;
    /** The demo sign-ins when this installation holds the demo town, else null. */
    demo: import('./features/demo/demo-town.ts').DemoSignIn[] | null;
    /** The Telegram bot people can link, when one is configured (TELEGRAM_BOT_TOKEN); else
     * null, and the channel is not offered anywhere. */
    telegramBot: { username: string } | null;

    locale: import('./i18n/locales.ts').Locale;
    t: import('./i18n/index.ts').Translator;
    /** The path without its language prefix, for the language switcher. */
    pathWithoutLocale: string;
    /** The language the person chose last (menu or offer), from its cookie; null if none. */
    chosenLocale: import('./i18n/locales.ts').Locale | null;
    user: import('./features/accounts/sessions.ts').SessionUser | null;
    session: import('./features/accounts/sessions.ts').Session | null;
    /** The signed-in person's memberships, read with the session ([] when signed out). */
    memberships: import('./features/access/access.ts').Membership[];
    form: import('./lib/form-state.ts').FormState | null;
    flash: import('./lib/form-state.ts').FormMessage | null;
  }
}
