// The attendee list as a CSV download, for the organisation's members only (404 otherwise).
import type { APIRoute } from 'astro';
import { TOWN_TIMEZONE } from 'astro:env/server';
import { NotFoundError } from '../../../../features/access/access.ts';
import { csvLabels, exportAttendeesCsv } from '../../../../features/attendance/attendance.service.ts';
import { parseId } from '../../../../lib/ids.ts';

export const GET: APIRoute = async ({ params, locals }) => {
  const id = parseId(params.id);
  const { t } = locals;
  if (id === null) return new Response(null, { status: 404 });
  try {
    const { filename, csv } = await exportAttendeesCsv(locals.db, locals.user, id, csvLabels(t, TOWN_TIMEZONE));
    return new Response(csv, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return new Response(null, { status: 404 });
    throw error;
  }
};
