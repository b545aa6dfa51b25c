export const TEST_ACCOUNTS = {
  admin: { email: 'admin@test.example', password: 'Verwaltung im Rathaus 2026', displayName: 'Test Admin', isAdmin: true },
  resident: { email: 'resident@test.example', password: 'Kaffee am Marktplatz', displayName: 'Test Resident', isAdmin: false },
  newcomer: { email: 'newcomer@test.example', password: 'Tee mit Minze und Zucker', displayName: 'Test Newcomer', isAdmin: false },
  organiser: { email: 'organiser@test.example', password: 'Stühle stellen im Saal', displayName: 'Test Organiser', isAdmin: false },
  coordinator: { email: 'coordinator@test.example', password: 'Begleitung mit Herz', displayName: 'Test Coordinator', isAdmin: false },
  neighbour: { email: 'neighbour@test.example', password: 'Brötchen vom Bäcker', displayName: 'Test Neighbour', isAdmin: false },
  // Volunteering tests (tests/http/volunteering.test.ts) use these two.
  volunteer: { email: 'volunteer@test.example', password: 'Tische tragen im Hof', displayName: 'Vera Volunteer', isAdmin: false },
  volunteer2: { email: 'volunteer2@test.example', password: 'Kuchen backen am Freitag', displayName: 'Viktor Helper', isAdmin: false },
  // Mentoring tests (tests/http/mentoring.test.ts) use these four.
  mentor: { email: 'mentor@test.example', password: 'Formulare ausfüllen hilft', displayName: 'Maria Mentor', isAdmin: false },
  mentor2: { email: 'mentor2@test.example', password: 'Zuhören und Weiterhelfen', displayName: 'Mehmet Second', isAdmin: false },
  mentee: { email: 'mentee@test.example', password: 'Neue Stadt neues Glück', displayName: 'Amal Mentee', isAdmin: false },
  mentee2: { email: 'mentee2@test.example', password: 'Schritt für Schritt ankommen', displayName: 'Olena Other', isAdmin: false },
  // Door tests (tests/http/attendance.test.ts) use these two.
  doorGuest: { email: 'door-guest@test.example', password: 'Am Eingang ankommen', displayName: 'Dora Guest', isAdmin: false },
  doorGuest2: { email: 'door-guest2@test.example', password: 'Mit der ganzen Familie', displayName: 'Dario Guest', isAdmin: false },
  // Consent tests (tests/http/privacy-consent.test.ts) use these two.
  consenter: { email: 'consenter@test.example', password: 'Einverstanden mit Bedacht', displayName: 'Farah Einwilligung', isAdmin: false },
  consenter2: { email: 'consenter2@test.example', password: 'Fremde Zustimmung nie', displayName: 'Goran Fremd', isAdmin: false },
  // My hours (tests/http/hours-mine.test.ts): each has hours of their own, seeded at setup.
  hoursVolunteer: { email: 'hours-volunteer@test.example', password: 'Stunden zählen am Ende', displayName: 'Hanna Hours', isAdmin: false },
  hoursOther: { email: 'hours-other@test.example', password: 'Fremde Stunden bleiben fremd', displayName: 'Ole Other', isAdmin: false },
} as const;

/** Activities the HTTP tests find in the database (ids are provided as 'activities'). */
export const TEST_ACTIVITIES = {
  small: { title: 'Kleines Sprachcafé', capacity: 2, status: 'published' },
  roomy: { title: 'Großes Fest', capacity: null, status: 'published' },
  draft: { title: 'Noch geheim', capacity: 5, status: 'draft' },
} as const;
