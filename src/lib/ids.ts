// Ids as they arrive from outside (an address, a hidden form field): a row's id is a
// PostgreSQL integer, so anything beyond 2³¹ − 1 names nothing — and must be answered like an
// id that does not exist (404), never handed to the database, which refuses it with an error.

export const MAX_ID = 2_147_483_647;

/** The id in a path or query parameter ("12"), or null for anything that cannot be one. */
export function parseId(text: string | null | undefined): number | null {
  if (!text || !/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_ID ? id : null;
}
