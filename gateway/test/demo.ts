/** The password every seeded demo account has in tests (the template and any file that seeds its own). */
export const DEMO_PASSWORD = 'demo-password-for-tests';
