// For load balancers and monitoring: is the database answering?
import type { APIRoute } from 'astro';
import { sql } from 'kysely';

const TIMEOUT_MS = 2_000;

export const GET: APIRoute = async ({ locals }) => {
  const started = performance.now();
  let ok = false;
  let error: string | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(locals.db),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref()),
    ]);
    ok = true;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const body = {
    status: ok ? 'ok' : 'unavailable',
    database: { kind: locals.databaseKind, ok, latencyMs: Math.round(performance.now() - started), ...(error ? { error } : {}) },
  };
  return new Response(JSON.stringify(body), {
    status: ok ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(ok ? {} : { 'Retry-After': '5' }) },
  });
};
