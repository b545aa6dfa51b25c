// Table types for consultation hours, their slots and bookings (db/migrations/20261208_1100_consultations.ts).
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.ts';

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ConsultationHourTable {
  id: Generated<number>;
  organisation_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  slot_minutes: number;
  remote: Generated<boolean>;
  place: Generated<string>;
  topics: TextArray;
  languages: TextArray;
  created_by: number | null;
  created_at: CreatedAt;
  /** Set when the office cancels the hour (bookings are cancelled and told). */
  cancelled_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface ConsultationSlotTable {
  id: Generated<number>;
  hour_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
}

export type ConsultationBookingStatus = 'booked' | 'cancelled';
export type ConsultationAttendance = 'present' | 'no_show';

export interface ConsultationBookingTable {
  id: Generated<number>;
  slot_id: number;
  user_id: number;
  topic: string;
  language: string;
  note: Generated<string>;
  interpreter_needed: Generated<boolean>;
  status: ConsultationBookingStatus;
  attendance: ConsultationAttendance | null;
  /** The Kümmerer or coordinator who booked on the person's behalf. */
  booked_by_user_id: number | null;
  reminder_sent_at: Timestamp | null;
  /** Explicit consent (Art. 9 GDPR) for the topic "health". */
  health_consent_at: Timestamp | null;
  /** "I'm coming", pressed on the reminder's one-tap link. */
  confirmed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** Someone who came to the hour without a booking, queued after the booked slots. */
export interface ConsultationWalkInTable {
  id: Generated<number>;
  hour_id: number;
  name: string;
  topic: string;
  language: string;
  note: Generated<string>;
  attendance: ConsultationAttendance | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface ConsultationTables {
  consultation_hour: ConsultationHourTable;
  consultation_slot: ConsultationSlotTable;
  consultation_booking: ConsultationBookingTable;
  consultation_walk_in: ConsultationWalkInTable;
}
