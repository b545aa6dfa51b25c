// The certificate of volunteering in the browser, on the demo town, on a phone: the
// resident (who has confirmed hours at Stellwerk in the demo) chooses the organisation and the
// months, sees the certificate, and downloads it as a PDF, read back with pdftotext — in
// German, then from the Arabic pages with the Arabic translation on a second page. axe on the
// form page and the certificate page in German and in Arabic, and on a wrong month (400).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations } from './axe.ts';
import { launchBrowser, newContext, signIn } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // The portal's Content-Security-Policy rightly blocks the injected axe script.
  context = await newContext(browser, inject('baseUrl'), { bypassCSP: true, acceptDownloads: true, viewport: { width: 375, height: 800 } });
  page = await context.newPage();
  await signIn(page, 'resident@example.org');
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function expectAccessible(where: string): Promise<void> {
  const found = await axeViolations(page);
  expect(found, describeViolations(where, found)).toEqual([]);
}

/** The text of the PDF behind the link, downloaded as a person would. */
async function downloadPdf(linkName: string | RegExp): Promise<{ filename: string; pages: string[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  return { filename: download.suggestedFilename(), pages: pdfPages(await readFile((await download.path())!)) };
}

/** The text of each page of a PDF, as pdftotext reads it, without its direction marks. */
function pdfPages(pdf: Buffer): string[] {
  const text = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
  // pdftotext ends every page with a form feed.
  return text.split('\f').filter((p) => p.trim() !== '');
}

describe('a volunteer downloads a certificate', () => {
  /** The certificate's total line as the page shows it, which the PDF must repeat. */
  let total = '';

  it('chooses Stellwerk and the last twelve months, and sees the certificate', async () => {
    const response = await page.goto('/my-hours/certificate');
    expect(response?.status()).toBe(200);
    expect(await page.locator('#field-organisation option').allInnerTexts()).toContain('Stellwerk – Ehrenamt in Altena');
    await expectAccessible('certificate form');
    await page.locator('#field-organisation').selectOption({ label: 'Stellwerk – Ehrenamt in Altena' });
    await page.getByRole('button', { name: 'Nachweis anzeigen' }).click();
    await page.waitForURL((url) => url.searchParams.get('organisation') === 'stellwerk');
    const sheet = page.locator('article.certificate-sheet');
    expect(await sheet.count()).toBe(1);
    const text = await sheet.innerText();
    expect(text).toContain('Nachweis über ehrenamtliches Engagement');
    expect(text).toContain('Klaus Hoffmann');
    // The demo year's confirmed café shifts are on it; this morning's pending entry is not.
    expect(text).toContain('Ausschank und Kuchen');
    expect(text).not.toContain('Kleiderkammer sortieren');
    total = /Insgesamt [\d.,]+ Stunden? ehrenamtliches Engagement\./.exec(text)?.[0] ?? '';
    expect(total).not.toBe('');
    await expectAccessible('certificate page');
  });

  it('downloads it as a PDF with the German certificate alone', async () => {
    const { filename, pages } = await downloadPdf('Als PDF herunterladen');
    expect(filename).toMatch(/^Engagementnachweis-stellwerk-\d{4}-\d{2}-bis-\d{4}-\d{2}\.pdf$/);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Stellwerk – Ehrenamt in Altena');
    expect(pages[0]).toContain('Nachweis über ehrenamtliches Engagement');
    expect(pages[0]).toContain('Klaus Hoffmann');
    // The same total as the page.
    expect(pages[0]).toContain(total);
    // Kept by nobody on the way: it is the person's own.
    const href = await page.getByRole('link', { name: 'Als PDF herunterladen' }).getAttribute('href');
    const response = await page.request.get(href!);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(response.headers()['content-disposition']).toBe(`attachment; filename="${filename}"`);
  });

  it('in Arabic: the form and the certificate right to left, the PDF German first and Arabic second', async () => {
    expect((await page.goto('/ar/my-hours/certificate'))?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expectAccessible('Arabic certificate form');
    await page.getByRole('button', { name: 'عرض الشهادة' }).click();
    await page.waitForURL((url) => url.pathname === '/ar/my-hours/certificate' && url.searchParams.has('organisation'));
    const sheets = page.locator('article.certificate-sheet');
    expect(await sheets.count()).toBe(2);
    expect(await sheets.nth(0).getAttribute('lang')).toBe('de');
    expect(await sheets.nth(1).getAttribute('dir')).toBe('rtl');
    expect(await sheets.nth(1).innerText()).toContain('شهادة عمل تطوعي');
    await expectAccessible('Arabic certificate page');

    // Printed: the sheets alone, the German certificate on the first page, the Arabic on the next.
    const printed = await page.pdf({ format: 'A4', printBackground: false });
    if (process.env.CERTIFICATE_PRINT_FILE) writeFileSync(process.env.CERTIFICATE_PRINT_FILE, printed);
    const printedPages = pdfPages(printed);
    expect(printedPages).toHaveLength(2);
    expect(printedPages[0]).toContain('Nachweis über ehrenamtliches Engagement');
    expect(printedPages[0]).not.toContain('عرض الشهادة');
    expect(printedPages[1]).toContain('شهادة عمل تطوعي');

    const { pages } = await downloadPdf(/تنزيل بصيغة/);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Nachweis über ehrenamtliches Engagement');
    expect(pages[1]).toContain('شهادة عمل تطوعي');
    expect(pages[1]).toContain('Klaus Hoffmann');
  });

  it('a month that is not one: 400, the message next to the field', async () => {
    const response = await page.goto('/ar/my-hours/certificate?organisation=stellwerk&from=2026-13&to=2026-12');
    expect(response?.status()).toBe(400);
    expect(await page.locator('#field-from-error').innerText()).toContain('أدخل السنة والشهر');
    await expectAccessible('Arabic certificate form with an error');
  });
});
