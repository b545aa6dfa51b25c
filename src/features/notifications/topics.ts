// What a person can choose to receive, and where. Every kind of outbox message belongs to one
// topic; the person's notification settings say on which channels each topic reaches them.
// Some messages must reach a person whatever they chose (their activity cancelled or moved):
// their topic can be moved to another channel but never switched off entirely. Messages about
// the account itself (confirming an address, a reset link) go to the e-mail address only:
// they exist because of that address.
import type { OutboxChannel } from '../../db/schema.ts';
import type { OutboxKind } from '../outbox/outbox.ts';

export const CHANNELS = ['email', 'telegram'] as const satisfies readonly OutboxChannel[];

export const TOPICS = ['reminders', 'changes', 'waitlist', 'shifts', 'mentoring', 'help_requests', 'weekly_programme'] as const;
export type Topic = (typeof TOPICS)[number];

/** Topics that cannot be switched off on every channel: at least one stays on. */
export const REQUIRED_TOPICS: ReadonlySet<Topic> = new Set(['changes']);

/** Without a setting of their own, a person gets every topic by e-mail except the weekly
 * programme, which is opt-in. */
export function defaultChannels(topic: Topic): Record<OutboxChannel, boolean> {
  return { email: topic !== 'weekly_programme', telegram: false };
}

/** 'account': to the e-mail address only, not configurable. */
export const TOPIC_OF_KIND: Record<OutboxKind, Topic | 'account'> = {
  confirm_email: 'account',
  reset_password: 'account',
  address_in_use: 'account',
  change_email: 'account',
  email_changed: 'account',
  account_inactive: 'account',
  organisation_invitation: 'account',
  membership_added: 'account',

  rsvp_going: 'reminders',
  rsvp_reminder: 'reminders',
  rsvp_waitlisted: 'waitlist',
  rsvp_promoted: 'waitlist',
  activity_changed: 'changes',
  activity_cancelled: 'changes',
  activity_reinstated: 'changes',

  volunteer_signed_up: 'shifts',
  volunteer_role_changed: 'shifts',
  volunteer_role_removed: 'shifts',
  volunteer_reminder: 'shifts',
  volunteer_message: 'shifts',
  volunteer_left_organiser: 'shifts',
  volunteer_withdrew_organiser: 'shifts',
  // A volunteer's activity moved or cancelled is their activity too.
  volunteer_activity_changed: 'changes',
  volunteer_activity_cancelled: 'changes',
  volunteer_activity_reinstated: 'changes',

  mentoring_application_received: 'mentoring',
  mentoring_application_approved: 'mentoring',
  mentoring_application_declined: 'mentoring',
  mentoring_application_paused: 'mentoring',
  mentoring_started_newcomer: 'mentoring',
  mentoring_started_kuemmerer: 'mentoring',
  mentoring_ended: 'mentoring',
  mentoring_ended_coordinator: 'mentoring',
  mentoring_mentee_left: 'mentoring',
  mentoring_kuemmerer_left: 'mentoring',

  // A booked consultation is the person's own appointment, as an RSVP is.
  consultation_booked: 'reminders',
  consultation_reminder: 'reminders',
  // The office changed or cancelled the hour of a booking: a change to one's own appointment.
  consultation_hour_changed: 'changes',
  consultation_hour_cancelled: 'changes',
  // Help requests: taken, handed back (help-requests.mails.ts).
  help_request_taken_asker: 'help_requests',
  help_request_taken_helper: 'help_requests',
  help_request_handed_back: 'help_requests',
  // The booking a helper was to interpret for was cancelled (help-requests/linked-to-booking.ts).
  help_request_withdrawn_helper: 'help_requests',
  // Thanks, the coordinators' list of requests nobody took, a request that expired untaken.
  help_request_thanks: 'help_requests',
  help_requests_unanswered: 'help_requests',
  help_request_expired: 'help_requests',
  // Matching: a request fits the helper's offer, or a coordinator asks them (matching.mails.ts).
  help_request_fits_you: 'help_requests',
  help_request_asked_directly: 'help_requests',

  // The weekly programme (weekly-programme.ts): opt-in, see defaultChannels.
  weekly_programme: 'weekly_programme',
};
