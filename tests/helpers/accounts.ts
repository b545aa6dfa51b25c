export const TEST_ACCOUNTS = {
  admin: { email: 'admin@test.example', password: 'Verwaltung im Rathaus 2026', displayName: 'Test Admin', isAdmin: true },
  resident: { email: 'resident@test.example', password: 'Kaffee am Marktplatz', displayName: 'Test Resident', isAdmin: false },
} as const;
