// The town's legal details (/admin/town): each section of the form saves on its own. Who may
// (site admins only) is decided in the service; a refusal answers like a missing page.
import { defineAction } from 'astro:actions';
import { accessibilityInput, controllerInput, legalNoticeInput, saveTownDetails, type TownSectionInput } from '../features/privacy/town-details.ts';
import type { ActionOutcome } from '../lib/form-state.ts';
import type { ActionAPIContext } from 'astro:actions';
import { run } from './helpers.ts';

async function save(context: ActionAPIContext, change: TownSectionInput): Promise<ActionOutcome> {
  await run(context, () => saveTownDetails(context.locals.db, context.locals.user, change, new Date()));
  return { flash: { key: 'town.saved' } };
}

export const town = {
  saveController: defineAction({
    accept: 'form',
    input: controllerInput,
    handler: (input, context) => save(context, { section: 'controller', input }),
  }),
  saveLegalNotice: defineAction({
    accept: 'form',
    input: legalNoticeInput,
    handler: (input, context) => save(context, { section: 'legalNotice', input }),
  }),
  saveAccessibility: defineAction({
    accept: 'form',
    input: accessibilityInput,
    handler: (input, context) => save(context, { section: 'accessibility', input }),
  }),
};
