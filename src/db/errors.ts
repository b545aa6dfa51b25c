// What the database's errors mean to the rules. pg and PGlite both report PostgreSQL's
// SQLSTATE as `code`, so one test serves both engines.

/** 23505 unique_violation: a row with the same key was written between a check and this write. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
