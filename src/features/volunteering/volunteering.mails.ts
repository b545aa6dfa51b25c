// The mails volunteering sends: each kind's subject and body, in the recipient's language.
import type { MailTemplate } from '../outbox/mail-parts.ts';

export type VolunteeringMailKind = never;

export const VOLUNTEERING_TEMPLATES: Record<VolunteeringMailKind, MailTemplate> = {};
