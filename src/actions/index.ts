// Gathers the form actions. Each lives with its feature's thin wrapper: validate (zod) →
// who may (in the service) → service → ActionError.
import { accounts } from './accounts.ts';
import { admin } from './admin.ts';
import { answers } from './answers.ts';
import { attendance } from './attendance.ts';
import { calendar } from './calendar.ts';
import { consent } from './consent.ts';
import { consultations } from './consultations.ts';
import { erasure } from './erasure.ts';
import { language } from './language.ts';
import { helpRequests } from './help-requests.ts';
import { hoursCheckIn } from './hours-check-in.ts';
import { hoursMine } from './hours-mine.ts';
import { hoursOrganise } from './hours-organise.ts';
import { mentoring } from './mentoring.ts';
import { notifications } from './notifications.ts';
import { organise } from './organise.ts';
import { organisations } from './organisations.ts';
import { retention } from './retention.ts';
import { telegram } from './telegram.ts';
import { rsvps } from './rsvps.ts';
import { town } from './town.ts';
import { volunteering } from './volunteering.ts';

export const server = { accounts, admin, answers, attendance, calendar, consent, consultations, erasure, helpRequests, hoursCheckIn, hoursMine, hoursOrganise, language, mentoring, notifications, organise, organisations, retention, rsvps, telegram, town, volunteering };
