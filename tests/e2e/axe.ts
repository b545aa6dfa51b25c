// axe-core in a page (WCAG 2.2 AA rules): the serious and critical violations, one line each.
// The page's context needs bypassCSP: the portal's policy rightly blocks the injected script.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from '../helpers/portal.ts';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } };
    const result = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(' | ')}`);
}
