// The ceiling: what this machine can do for the browse page with nothing in between. A bare
// Node `http` server, one process like the portal, that sends the browse page's own SQL
// (recorded from the portal's query functions, see browse-sql.ts) with pg and writes the rows
// into a page with a template string. It is what the portal is measured against.
//
//   GET /activities            the list query only (the first page's 21 rows)
//   GET /activities?choices=1  the list query and the two filter-choice queries, as the page runs them
//
// Environment: DATABASE_URL (required), PORT (0 = any free port), DATABASE_POOL_SIZE (as the
// portal's, default 10), CEILING_PAGE_BYTES (pad each page to about this size, so that both
// send as many bytes). It prints "[ceiling] listening on http://…" once it listens.
import http from 'node:http';
import pg from 'pg';
import type { Locale } from '../src/db/schema.ts';
import { formatWhen, whenSeparator } from '../src/i18n/format.ts';
import { parametersAt, recordBrowsePageQueries } from './browse-sql.ts';

const PAGE_SIZE = 20;
const TIME_ZONE = 'Europe/Berlin';
const LOCALE: Locale = 'de';
const CATEGORY_NAMES: Record<string, string> = {
  leisure: 'Freizeit',
  culture: 'Kultur',
  sports: 'Sport',
  language: 'Sprache',
  integration: 'Ankommen',
  volunteering: 'Mitmachen',
};

interface Row {
  id: number;
  title: string;
  translations: Partial<Record<Locale, { title: string }>>;
  source_locale: Locale;
  category: string;
  starts_at: Date;
  ends_at: Date;
  place_name: string | null;
  online_url: string | null;
  capacity: number | null;
  cost: string | null;
  organisation_name: string;
  seats_taken: number;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c]!);

function card(row: Row): string {
  const translated = row.translations[LOCALE]?.title;
  const title = translated || row.title;
  const titleLocale = translated ? LOCALE : row.source_locale;
  const when = formatWhen(LOCALE, TIME_ZONE, row.starts_at, row.ends_at);
  const left = row.capacity === null ? null : Math.max(0, row.capacity - row.seats_taken);
  const seats = left === null ? '' : left === 0 ? '<span class="pill pill--full">ausgebucht</span>' : `<span class="pill">${left === 1 ? 'noch 1 Platz' : `noch ${left} Plätze`}</span>`;
  return `<li><article class="activity-card activity-card--${row.category}"><div class="activity-card__icon"><svg width="28" height="28" aria-hidden="true"><use href="#icon-${row.category}"></use></svg></div><div class="activity-card__body">
<p class="activity-card__category">${CATEGORY_NAMES[row.category] ?? row.category}</p>
<h3 class="activity-card__title" lang="${titleLocale}" dir="auto"><a href="/activities/${row.id}">${escape(title)}</a></h3>
<p class="activity-card__when"><time datetime="${row.starts_at.toISOString()}">${escape(when.date)}${when.time ? `${whenSeparator(LOCALE)}<span class="nowrap">${escape(when.time)}</span>` : ''}</time></p>
<p class="activity-card__where">${row.online_url ? 'Online' : escape(row.place_name ?? '')} · von ${escape(row.organisation_name)}</p>
<p class="activity-card__facts">${seats}${row.cost === null ? '<span class="pill pill--free">kostenlos</span>' : ''}</p>
</div></article></li>`;
}

function page(rows: Row[], choices: { organisations: { slug: string; name: string }[]; languages: string[] } | null, padTo: number): string {
  const shown = rows.slice(0, PAGE_SIZE);
  const organisations = (choices?.organisations ?? []).map((o) => `<option value="${escape(o.slug)}">${escape(o.name)}</option>`).join('');
  const languages = (choices?.languages ?? []).map((l) => `<option value="${escape(l)}">${escape(l)}</option>`).join('');
  const body = `<!DOCTYPE html><html lang="de" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Angebote · Ankommen in Altena</title><link rel="stylesheet" href="/_astro/global.css"></head>
<body><header class="site-header"><a class="skip-link" href="#main">Zum Inhalt</a><nav aria-label="Hauptmenü"><a href="/">Start</a> <a href="/activities" aria-current="page">Angebote</a> <a href="/help-wanted">Helfen</a> <a href="/kuemmerer">Kümmerer</a></nav></header>
<main id="main"><h1>Angebote</h1><details class="filters"><summary>Filter</summary><form method="get" action="/activities"><select name="language"><option value="">Alle Sprachen</option>${languages}</select><select name="organisation"><option value="">Alle</option>${organisations}</select><button type="submit" class="button">Anwenden</button></form></details>
<ul class="activity-list">${shown.map(card).join('\n')}</ul>
${rows.length > PAGE_SIZE ? '<nav class="pager" aria-label="Seiten"><a href="/activities?page=2" rel="next">Weiter</a></nav>' : ''}
</main>`;
  const end = '<footer class="site-footer"><p>Ankommen in Altena</p></footer></body></html>';
  // Pad with a comment to the portal page's size, so that both put as many bytes on the wire.
  const missing = padTo - Buffer.byteLength(body) - Buffer.byteLength(end) - 7;
  return missing > 0 ? `${body}<!--${'.'.repeat(missing)}-->${end}` : body + end;
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const padTo = Number(process.env.CEILING_PAGE_BYTES ?? 0);
const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
pool.on('error', (err) => console.warn(`[ceiling] idle connection lost: ${err.message}`));
const queries = await recordBrowsePageQueries(PAGE_SIZE);

const server = http.createServer((req, res) => {
  const withChoices = req.url?.includes('choices=1') ?? false;
  const now = new Date();
  const list = pool.query<Row>(queries.list.sql, parametersAt(queries.list, now));
  const choices = withChoices
    ? Promise.all(queries.choices.map((q) => pool.query(q.sql, parametersAt(q, now)))).then(([organisations, languages]) => ({
        organisations: organisations!.rows as { slug: string; name: string }[],
        languages: (languages!.rows as { language: string }[]).map((l) => l.language),
      }))
    : Promise.resolve(null);
  Promise.all([list, choices]).then(
    ([result, chosen]) => {
      const html = page(result.rows, chosen, padTo);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
      res.end(html);
    },
    (error: unknown) => {
      console.error(error);
      res.writeHead(500).end();
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`[ceiling] listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
