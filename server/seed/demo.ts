import type { Role } from '../../shared/api/auth.js';
import { hashPassword } from '../security/password.js';
import type { TabStore } from '../store/types.js';

export const DEMO_WORKSPACE = 'Demo firm';
export const DEMO_PASSWORD = 'demo-pass-2026';
export const DEMO_USERS: readonly { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.test', name: 'Alex Admin', role: 'admin' },
  { email: 'manager@demo.test', name: 'Morgan Manager', role: 'manager' },
  { email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' },
  { email: 'ben@demo.test', name: 'Ben Accountant', role: 'accountant' },
];

/**
 * The demo firm's four users: the tests' fixture (test/support/test-server.ts).
 * `--seed-demo` builds the whole demo firm on top of it (demo-firm.ts).
 * Does nothing for users that exist already.
 */
export async function seedDemo(store: TabStore, now: number): Promise<{ created: string[] }> {
  const workspace = (await store.findWorkspaceByName(DEMO_WORKSPACE)) ?? (await store.createWorkspace({ name: DEMO_WORKSPACE, now }));
  const created: string[] = [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of DEMO_USERS) {
    if (await store.findUserByEmail(user.email)) continue;
    await store.createUser({ ...user, workspaceId: workspace.id, passwordHash, now });
    created.push(user.email);
  }
  return { created };
}

export function demoBanner(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.email.padEnd(20)} ${u.role.padEnd(11)} password: ${DEMO_PASSWORD}`);
  return [
    `Demo firm "${DEMO_WORKSPACE}" — sign in as:`,
    ...lines,
    '  Ana’s timer is running; she is signed in on her MacBook, her phone and a browser;',
    '  Chloe’s invitation waits under Team › Members.',
    '  Billing (manager or admin): invoices paid, waiting, one voided and issued again, a draft to issue;',
    '  Hudson Ridge’s unbilled work aging in Work in progress.',
  ].join('\n');
}
