// Invitations seen from an organisation's admin page, for HTTP tests.
import { expect } from 'vitest';
import { mailsTo, type Visitor } from './visitor.ts';

/** The id of the open invitation to `email` on an organisation's admin page, if it is listed. */
export function openInvitationId(adminPageHtml: string, email: string): string | undefined {
  for (const item of adminPageHtml.split('<li ').filter((li) => li.includes('data-invitation='))) {
    const listed = item.slice(0, item.indexOf('</li>'));
    if (listed.includes(`>${email}</bdi>`)) return /data-invitation="(\d+)"/.exec(listed)?.[1];
  }
  return undefined;
}

/** Invites an address without an account as the admin; answers the invitation's id once its
 * mail has gone out. */
export async function openInvitation(admin: Visitor, organisationSlug: string, organisationId: string | number, email: string): Promise<string> {
  const adminPage = `/admin/organisations/${organisationSlug}`;
  const invited = await admin.submit(adminPage, 'admin.inviteMember', { organisationId: String(organisationId), email, displayName: '', role: 'organiser', locale: 'de' });
  const id = openInvitationId(invited.html, email);
  expect(id, `an open invitation to ${email}`).toBeDefined();
  expect(await mailsTo(email)).toHaveLength(1);
  return id!;
}

/** After refused attempts on it: the invitation is still listed and no other mail went out. */
export async function expectUntouched(admin: Visitor, organisationSlug: string, email: string, id: string): Promise<void> {
  expect(openInvitationId(await (await admin.get(`/admin/organisations/${organisationSlug}`)).text(), email)).toBe(id);
  expect(await mailsTo(email, { atLeast: 2, timeoutMs: 1_000 })).toHaveLength(1);
}
