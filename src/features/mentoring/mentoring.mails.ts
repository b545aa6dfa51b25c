// The mails mentoring sends: each kind's subject and body, in the recipient's language.
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type MentoringMailKind = never;

export const MENTORING_TEMPLATES: Record<MentoringMailKind, MailTemplate> = {};
