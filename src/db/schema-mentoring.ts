// Table types for Kümmerer mentoring (db/migrations/20261126_1600_mentoring.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MentoringTables {}
