export const TEST_ACCOUNTS = {
  admin: { email: 'admin@test.example', password: 'Verwaltung im Rathaus 2026', displayName: 'Test Admin', isAdmin: true },
  resident: { email: 'resident@test.example', password: 'Kaffee am Marktplatz', displayName: 'Test Resident', isAdmin: false },
  newcomer: { email: 'newcomer@test.example', password: 'Tee mit Minze und Zucker', displayName: 'Test Newcomer', isAdmin: false },
  organiser: { email: 'organiser@test.example', password: 'Stühle stellen im Saal', displayName: 'Test Organiser', isAdmin: false },
  coordinator: { email: 'coordinator@test.example', password: 'Begleitung mit Herz', displayName: 'Test Coordinator', isAdmin: false },
  neighbour: { email: 'neighbour@test.example', password: 'Brötchen vom Bäcker', displayName: 'Test Neighbour', isAdmin: false },
} as const;

/** Activities the HTTP tests find in the database (ids are provided as 'activities'). */
export const TEST_ACTIVITIES = {
  small: { title: 'Kleines Sprachcafé', capacity: 2, status: 'published' },
  roomy: { title: 'Großes Fest', capacity: null, status: 'published' },
  draft: { title: 'Noch geheim', capacity: 5, status: 'draft' },
} as const;
