// The certificate as a PDF download: the same query as the printable page
// (?organisation=<slug|@town>&from=YYYY-MM&to=YYYY-MM), German first, then the page's language.
// An issuer the person has no confirmed hours with is 404 as on the page; wrong months 400.
import type { APIRoute } from 'astro';
import { TOWN_NAME, TOWN_TIMEZONE } from 'astro:env/server';
import { NotFoundError } from '../../../features/access/access.ts';
import { recordAudit } from '../../../features/audit/audit.ts';
import { certificateFilename, loadCertificateView } from '../../../features/hours/certificate.ts';
import { renderCertificatePdf } from '../../../features/hours/certificate-pdf.ts';
import { requireSignIn } from '../../../lib/page.ts';

export const GET: APIRoute = async (context) => {
  const gate = requireSignIn(context);
  if (gate) return gate;
  const { db, locale, t } = context.locals;
  const user = context.locals.user!;
  let view;
  try {
    view = await loadCertificateView(db, user, context.url.searchParams, { now: new Date(), timeZone: TOWN_TIMEZONE, townName: TOWN_NAME });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    await recordAudit(db, { actorUserId: user.id, action: 'access.refused', objectType: 'page', objectId: context.url.pathname });
    return new Response(null, { status: 404, headers: { 'Cache-Control': 'no-store' } });
  }
  const errors = Object.values(view.form.errors);
  if (!view.certificate || errors.length > 0) {
    // Nothing asked, or asked wrong: the messages in words, as the page would show them.
    const message = errors.length > 0 ? errors.map((key) => (t.has(key) ? t(key) : key)).join('\n') : t('hoursCertificate.error.organisation');
    return new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
  const pdf = await renderCertificatePdf(view.certificate, { pageLocale: locale, timeZone: TOWN_TIMEZONE });
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${certificateFilename(view.certificate)}"`,
      'Cache-Control': 'no-store',
    },
  });
};
