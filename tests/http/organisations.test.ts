// Organisations over HTTP without JavaScript: a site admin invites by e-mail and the invitee
// joins through the mailed link; removing a member asks first on a page of its own; an
// organisation's details and public contact are edited by its organisers and site admins and
// shown to visitors as tel:/mailto: links. Everyone else gets 404, for pages and actions alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../helpers/accounts.ts';
import { createPublishedActivity } from '../helpers/activities.ts';
import { expectUntouched, openInvitation, openInvitationId } from '../helpers/organisations.ts';
import { fieldError, linkIn, mailsTo, stripTags as stripHtml, Visitor } from '../helpers/visitor.ts';

/** The page's text without tags and without the invisible isolates (FSI … PDI) around names. */
const stripTags = (html: string) => stripHtml(html).replace(/[\u2068\u2069]/g, '');

const run = Date.now().toString(36);
const slug = `nachbarschaft-${run}`;
const adminPage = `/admin/organisations/${slug}`;
const editPage = `/organise/organisation/${slug}`;
const address = (label: string) => `${label}-${run}@test.example`;
const PASSWORD = 'Nachbarn helfen Nachbarn';

let admin: Visitor;
let organisationId: string;

async function signedIn(account: keyof typeof TEST_ACCOUNTS): Promise<Visitor> {
  const visitor = new Visitor();
  await visitor.signIn(TEST_ACCOUNTS[account].email, TEST_ACCOUNTS[account].password);
  return visitor;
}

/** The invitee follows the mailed link and chooses a name and password. */
async function join(email: string, name: string): Promise<Visitor> {
  const [mail] = await mailsTo(email, { about: 'Einladung' });
  expect(mail, `invitation mail to ${email}`).toBeDefined();
  const link = linkIn(mail!);
  const invitee = new Visitor();
  const page = link.pathname + link.search;
  const accepted = await invitee.submit(page, 'organisations.acceptInvitation', { token: link.searchParams.get('token')!, displayName: name, password: PASSWORD });
  expect(accepted.status, stripTags(accepted.html).slice(0, 300)).toBe(200);
  return invitee;
}

beforeAll(async () => {
  admin = await signedIn('admin');
  const created = await admin.submit('/admin', 'admin.createOrganisation', { name: 'Nachbarschaftshilfe', slug, description: 'Einkaufen, Begleiten, Zuhören.' });
  expect(created.url).toBe(adminPage);
  organisationId = /name="organisationId" value="(\d+)"/.exec(created.html)![1]!;
});

describe('inviting by e-mail', () => {
  it('invites an address without an account: the invitee sets a name and password from the mail and is an organiser', async () => {
    const email = address('neu');
    const invited = await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email, displayName: 'Nadia', role: 'organiser', locale: 'de' });
    expect(invited.status).toBe(200);
    const text = stripTags(invited.html);
    expect(text).toContain(`Die Einladung an ${email} ist unterwegs.`);
    expect(text).toContain('Offene Einladungen');
    expect(text).toContain(email);

    const [mail] = await mailsTo(email, { about: 'Einladung' });
    expect(mail!.subject).toBe('Einladung: Nachbarschaftshilfe');
    expect(mail!.text).toContain('Hallo Nadia,');
    expect(mail!.text).toContain('Test Admin lädt Sie ein, bei Nachbarschaftshilfe als Veranstalter/in mitzumachen');
    const link = linkIn(mail!);
    expect(link.pathname).toBe('/invitation');

    const invitee = new Visitor();
    const page = await invitee.get(link.pathname + link.search);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(stripTags(html)).toContain('Test Admin lädt Sie ein: Veranstalter/in bei Nachbarschaftshilfe.');
    expect(html).toContain('value="Nadia"');

    const token = link.searchParams.get('token')!;
    const weak = await invitee.submit(link.pathname + link.search, 'organisations.acceptInvitation', { token, displayName: 'Nadia', password: 'kurz' });
    expect(weak.status).toBe(400);
    expect(fieldError(weak.html, 'password')).toBe('Das Passwort muss mindestens 8 Zeichen haben.');
    expect(invitee.cookies.has('session')).toBe(false);

    const accepted = await invitee.submit(link.pathname + link.search, 'organisations.acceptInvitation', { token, displayName: 'Nadia Karim', password: PASSWORD });
    expect(accepted.url).toBe('/organise');
    expect(invitee.cookies.has('session')).toBe(true);
    const dashboard = stripTags(accepted.html);
    expect(dashboard).toContain('Willkommen! Sie sind jetzt dabei: Veranstalter/in bei Nachbarschaftshilfe.');
    expect(dashboard).toContain('Nachbarschaftshilfe');

    // The link is used up; the admin sees a member instead of an open invitation.
    const again = await new Visitor().get(link.pathname + link.search);
    expect(again.status).toBe(404);
    expect(stripTags(await again.text())).toContain('Dieser Einladungslink gilt nicht (mehr).');
    const members = stripTags(await (await admin.get(adminPage)).text());
    expect(members).toContain('Nadia Karim · Veranstalter/in');
    expect(members).not.toContain('Offene Einladungen');
  });

  it('adds someone who has an account at once and tells them by mail', async () => {
    // An account of its own: the shared test accounts must not become coordinators.
    const email = address('bestehend');
    await new Visitor().submit('/sign-up', 'accounts.signUp', { email, password: PASSWORD, displayName: 'Bea Bestehend', locale: 'de' });
    const added = await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email, displayName: '', role: 'coordinator', locale: 'de' });
    expect(stripTags(added.html)).toContain('Bea Bestehend ist jetzt Koordinator/in und hat eine E-Mail dazu bekommen.');
    const [mail] = await mailsTo(email, { about: 'Willkommen bei Nachbarschaftshilfe' });
    expect(mail!.text).toContain('Test Admin hat Sie bei Nachbarschaftshilfe als Koordinator/in eingetragen.');
    expect(linkIn(mail!).pathname).toBe('/coordinate');
  });

  it('resends (the old link dies) and withdraws open invitations', async () => {
    const email = address('zweimal');
    await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email, displayName: '', role: 'organiser', locale: 'en' });
    const [first] = await mailsTo(email);
    expect(first!.subject).toBe('Invitation: Nachbarschaftshilfe');
    expect(linkIn(first!).pathname).toBe('/en/invitation');
    const page = await (await admin.get(adminPage)).text();
    const invitationId = openInvitationId(page, email);
    expect(invitationId).toBeDefined();

    const resent = await admin.submit(adminPage, 'admin.resendInvitation', { invitationId: invitationId! });
    expect(stripTags(resent.html)).toContain(`Eine neue Einladung an ${email} ist unterwegs.`);
    const mails = await mailsTo(email, { atLeast: 2 });
    expect(mails).toHaveLength(2);
    const [oldLink, newLink] = mails.map(linkIn);
    expect((await new Visitor().get(oldLink!.pathname + oldLink!.search)).status).toBe(404);
    expect((await new Visitor().get(newLink!.pathname + newLink!.search)).status).toBe(200);

    const withdrawn = await admin.submit(adminPage, 'admin.withdrawInvitation', { invitationId: invitationId! });
    expect(stripTags(withdrawn.html)).toContain(`Die Einladung an ${email} ist zurückgezogen.`);
    expect(stripTags(withdrawn.html)).not.toContain('Offene Einladungen');
    expect((await new Visitor().get(newLink!.pathname + newLink!.search)).status).toBe(404);
  });

  it('shows the form again with the message next to the field for a bad address or an open invitation', async () => {
    const bad = await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email: 'kein-at', displayName: 'Nadia', role: 'organiser', locale: 'de' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'email')).toBe('Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.');
    expect(bad.html).toContain('value="Nadia"');
    const email = address('doppelt');
    await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email, displayName: '', role: 'organiser', locale: 'de' });
    const twice = await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email, displayName: '', role: 'organiser', locale: 'de' });
    expect(fieldError(twice.html, 'email')).toContain('Diese Person ist schon eingeladen.');
  });

  it('refuses the invitation actions and pages to everyone but site admins (404)', async () => {
    const organiser = await signedIn('organiser');
    const open = address('offen');
    const invitationId = await openInvitation(admin, slug, organisationId, open);
    for (const visitor of [organiser, new Visitor()]) {
      expect((await visitor.post(`${adminPage}?_action=admin.inviteMember`, { organisationId, email: address('sneaky'), displayName: '', role: 'organiser', locale: 'de' })).status).toBe(404);
      expect((await visitor.post(`${adminPage}?_action=admin.resendInvitation`, { invitationId })).status).toBe(404);
      expect((await visitor.post(`${adminPage}?_action=admin.withdrawInvitation`, { invitationId })).status).toBe(404);
    }
    await expectUntouched(admin, slug, open, invitationId);
    expect((await organiser.get(adminPage)).status).toBe(404);
    const [sneaky] = await mailsTo(address('sneaky'), { timeoutMs: 500 });
    expect(sneaky).toBeUndefined();
  });
});

describe('removing a member', () => {
  let memberId: string;
  const removePage = () => `${adminPage}/remove?member=${memberId}&role=organiser`;

  beforeAll(async () => {
    await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email: address('letzte'), displayName: 'Lotte', role: 'organiser', locale: 'de' });
    await join(address('letzte'), 'Lotte Letzte');
    const page = await (await admin.get(adminPage)).text();
    memberId = /Lotte Letzte<\/bdi>[^]*?data-remove-member="(\d+)"/.exec(page)?.[1] ?? '';
    expect(memberId).not.toBe('');
  });

  it('is a link to a question, not a button that removes', async () => {
    const page = await (await admin.get(adminPage)).text();
    expect(page).not.toContain('admin.removeMember');
    expect(page).toContain(`href="${adminPage}/remove?member=${memberId}&amp;role=organiser"`);
  });

  it('asks first, says what the person keeps, and warns about the last organiser only when there is one', async () => {
    const response = await admin.get(removePage());
    expect(response.status).toBe(200);
    const html = await response.text();
    const text = stripTags(html);
    expect(text).toContain('Lotte Letzte bei Nachbarschaftshilfe als Veranstalter/in entfernen?');
    expect(text).toContain('behält das Konto');
    // Nadia is an organiser too, so Lotte is not the last one.
    expect(text).not.toContain('die einzige Person');
    expect(html).toContain(`href="${adminPage}"`);
    expect(html).toMatch(/<button type="submit" class="button button--danger">Ja, entfernen<\/button>/);
    // Looking changed nothing.
    expect(stripTags(await (await admin.get(adminPage)).text())).toContain('Lotte Letzte · Veranstalter/in');
  });

  it('removes on "Yes, remove" and goes back to the organisation', async () => {
    const removed = await admin.submit(removePage(), 'admin.removeMember', { organisationId, userId: memberId, role: 'organiser' });
    expect(removed.url).toBe(adminPage);
    const text = stripTags(removed.html);
    expect(text).toContain('Lotte Letzte ist nicht mehr Veranstalter/in.');
    expect(text).not.toContain('Lotte Letzte · Veranstalter/in');
    // Asking again about someone who no longer has the role: nothing to confirm.
    expect((await admin.get(removePage())).status).toBe(404);
  });

  it('warns before the last organiser goes', async () => {
    const page = await (await admin.get(adminPage)).text();
    const nadia = /Nadia Karim<\/bdi>[^]*?data-remove-member="(\d+)"/.exec(page)?.[1];
    const text = stripTags(await (await admin.get(`${adminPage}/remove?member=${nadia}&role=organiser`)).text());
    expect(text).toContain('Nadia Karim ist die einzige Person, die die Angebote von Nachbarschaftshilfe verwaltet.');
  });

  it('shows the question to nobody but site admins, and answers odd addresses with 404', async () => {
    const organiser = await signedIn('organiser');
    expect((await organiser.get(removePage())).status).toBe(404);
    expect((await new Visitor().get(removePage())).status).toBe(303);
    for (const odd of [`${adminPage}/remove`, `${adminPage}/remove?member=abc&role=organiser`, `${adminPage}/remove?member=1&role=admin`, `/admin/organisations/gibt-es-nicht/remove?member=1&role=organiser`]) {
      expect((await admin.get(odd)).status, odd).toBe(404);
    }
  });
});

describe("an organisation's details and contact", () => {
  let organiser: Visitor;
  let coordinator: Visitor;
  let activityId: string;

  beforeAll(async () => {
    await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email: address('orga'), displayName: '', role: 'organiser', locale: 'de' });
    await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email: address('koordi'), displayName: '', role: 'coordinator', locale: 'de' });
    organiser = await join(address('orga'), 'Olga Orga');
    coordinator = await join(address('koordi'), 'Kai Koordi');
    activityId = await createPublishedActivity(organiser, organisationId, { title: 'Einkaufshilfe', category: 'integration', date: '2031-04-02', startTime: '10:00', endTime: '12:00', placeName: 'Rathaus' });
  });

  it('lets its organiser change the description and contact, not the name; a bad phone number is refused with nothing saved', async () => {
    const dashboard = await (await organiser.get('/organise')).text();
    expect(dashboard).toContain(`href="${editPage}"`);
    const page = await organiser.get(editPage);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('id="field-name"');
    expect(stripTags(html)).toContain('Den Namen ändert die Verwaltung der Plattform.');

    const bad = await organiser.submit(editPage, 'organisations.update', { organisationId, description: 'Neu', contactPhone: 'abends', contactEmail: 'hilfe@nachbarn.example' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.html, 'contactPhone')).toContain('Bitte geben Sie eine Telefonnummer');
    expect(bad.html).toContain('value="hilfe@nachbarn.example"');
    expect(stripTags(await (await admin.get(adminPage)).text())).not.toContain('hilfe@nachbarn.example');

    const saved = await organiser.submit(editPage, 'organisations.update', { organisationId, name: 'Gekapert', description: 'Wir helfen beim Einkaufen.', contactPhone: '+49 (0) 2352 55 66', contactEmail: 'Hilfe@Nachbarn.example' });
    expect(stripTags(saved.html)).toContain('Gespeichert.');
    const adminView = stripTags(await (await admin.get(adminPage)).text());
    expect(adminView).toContain('Nachbarschaftshilfe');
    expect(adminView).not.toContain('Gekapert');
    expect(adminView).toContain('Wir helfen beim Einkaufen.');
    expect(adminView).toContain('hilfe@nachbarn.example');
  });

  it('offers a site admin who is also a member the way to its details on /organise, as it does its organisers', async () => {
    const joined = await admin.submit(adminPage, 'admin.inviteMember', { organisationId, email: TEST_ACCOUNTS.admin.email, displayName: '', role: 'coordinator', locale: 'de' });
    const adminId = /Test Admin<\/bdi>[^]*?data-remove-member="(\d+)"/.exec(joined.html)?.[1];
    expect(adminId).toBeDefined();
    try {
      expect(await (await admin.get('/organise')).text()).toContain(`href="${editPage}"`);
      expect(await (await coordinator.get('/organise')).text()).not.toContain(`href="${editPage}"`);
    } finally {
      // The shared admin account leaves as it came.
      const left = await admin.submit(`${adminPage}/remove?member=${adminId}&role=coordinator`, 'admin.removeMember', { organisationId, userId: adminId!, role: 'coordinator' });
      expect(stripTags(left.html)).toContain('Test Admin ist nicht mehr Koordinator/in.');
    }
  });

  it('lets a site admin rename it, keeping its address; its calendar feed follows at once', async () => {
    const feed = `/feeds/organisations/${slug}.ics`;
    const before = await new Visitor().get(feed);
    expect(await before.text()).toMatch(/ORGANIZER;CN="?Nachbarschaftshilfe"?:mailto:hilfe@nachbarn\.example/);
    expect(await (await admin.get(editPage)).text()).toContain('id="field-name"');
    const renamed = await admin.submit(editPage, 'organisations.update', { organisationId, name: 'Nachbarschaftshilfe Altena', description: 'Wir helfen beim Einkaufen.', contactPhone: '+49 (0) 2352 55 66', contactEmail: 'hilfe@nachbarn.example' });
    expect(renamed.url).toBe(editPage);
    expect(stripTags(await (await admin.get(adminPage)).text())).toContain('Nachbarschaftshilfe Altena');
    // The feed is kept by its ETag, which follows the activities' last change: renaming counts as one.
    const after = await new Visitor().get(feed, { 'If-None-Match': before.headers.get('etag') ?? '' });
    expect(after.status).toBe(200);
    expect(await after.text()).toMatch(/ORGANIZER;CN="?Nachbarschaftshilfe Altena"?:mailto:hilfe@nachbarn\.example/);
  });

  it('shows visitors the contact as links a phone can use, kept left to right in Arabic', async () => {
    for (const path of [`/activities/${activityId}`, `/ar/activities/${activityId}`]) {
      const html = await (await new Visitor().get(path)).text();
      expect(html, path).toContain('<a href="tel:+4923525566" dir="ltr" data-contact="phone">+49 (0) 2352 55 66</a>');
      expect(html, path).toContain('<a href="mailto:hilfe@nachbarn.example" dir="ltr" data-contact="email">hilfe@nachbarn.example</a>');
    }
  });

  it("uses the activity's own contact instead, once it has one", async () => {
    const form = {
      organisationId, activityId, title: 'Einkaufshilfe', sourceLocale: 'de', category: 'integration', date: '2031-04-02', startTime: '10:00', endTime: '12:00', placeName: 'Rathaus', capacity: '',
      contactName: 'Olga', contactPhone: '', contactEmail: 'olga@nachbarn.example',
    };
    const edit = await organiser.submit(`/organise/${activityId}/edit`, 'organise.updateActivity', form);
    expect(edit.url).toBe(`/organise/${activityId}`);
    const html = await (await new Visitor().get(`/activities/${activityId}`)).text();
    expect(html).toContain('href="mailto:olga@nachbarn.example"');
    expect(html).not.toContain('tel:+4923525566');
    expect(stripTags(html)).toContain('Olga');
    const formPage = stripTags(await (await organiser.get(`/organise/${activityId}/edit`)).text());
    expect(formPage).toContain('Kontakt der Organisation: +49 (0) 2352 55 66 · hilfe@nachbarn.example');
  });

  it('refuses its coordinator, other organisers, residents and visitors (404; sign-in for a visitor’s page)', async () => {
    const otherOrganiser = await signedIn('organiser');
    const resident = await signedIn('resident');
    for (const visitor of [coordinator, otherOrganiser, resident]) {
      expect((await visitor.get(editPage)).status).toBe(404);
      expect((await visitor.post(`${editPage}?_action=organisations.update`, { organisationId, description: 'Übernommen', contactPhone: '', contactEmail: '' })).status).toBe(404);
    }
    expect((await new Visitor().get(editPage)).status).toBe(303);
    expect((await new Visitor().post(`${editPage}?_action=organisations.update`, { organisationId, description: 'Übernommen', contactPhone: '', contactEmail: '' })).status).toBe(404);
    expect((await admin.get('/organise/organisation/gibt-es-nicht')).status).toBe(404);
    expect(stripTags(await (await admin.get(adminPage)).text())).toContain('Wir helfen beim Einkaufen.');
  });
});
