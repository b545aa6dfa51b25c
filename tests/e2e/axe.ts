// axe-core in the browser tests, one way for every file: WCAG 2.2 AA and axe's best practices
// (landmarks, heading order), and every finding but the "minor" ones fails — moderate ones
// (content outside landmarks, skipped heading levels) trip people up as surely as serious ones.
// The page's context needs bypassCSP: the portal's policy rightly blocks the injected script.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../helpers/portal.ts';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string; html: string }>;
}

/** axe's moderate, serious and critical findings on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (values) => {
    const w = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } };
    return w.axe.run(document, { runOnly: { type: 'tag', values }, resultTypes: ['violations'] });
  }, TAGS);
  return (result.violations as AxeViolation[]).filter((v) => v.impact !== 'minor');
}

/** Findings as lines that say where to look, for an assertion's message. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no moderate, serious or critical violations`;
  const lines = violations.map((v) => {
    const nodes = v.nodes.map((n) => `      target ${JSON.stringify(n.target)}\n        ${n.html.slice(0, 200)}\n        ${(n.failureSummary ?? '').replace(/\n/g, ' | ')}`);
    return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
  });
  return `${where}: ${violations.length} moderate/serious/critical axe violation(s)\n${lines.join('\n')}`;
}

/** The findings as short strings, for expect(…).toEqual([]). */
export async function axeFindings(page: Page): Promise<string[]> {
  return (await axeViolations(page)).map((v) => `[${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`).join('\n')}`);
}
