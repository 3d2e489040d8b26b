/**
 * The credential store against the OS keychain: a real Secret Service
 * (gnome-keyring) when run under scripts/with-keyring.sh (TAB_KEYRING set, as
 * `npm test` does). Under CI=true these tests must run and fail when keytar
 * cannot reach the keychain; elsewhere they are skipped with the reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  assertItemFits,
  createCredentialStore,
  CredentialTooLargeError,
  keychainAccounts,
  KEYCHAIN_SERVICE,
  MAX_ITEM_CHARS,
  MEMORY_NOTICE,
  WINDOWS_CREDENTIAL_LIMIT_CHARS,
  type KeytarLike,
} from '../../electron/credential-store.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { signIn } from '../support/api.js';

const wantsRealKeychain = process.env.TAB_KEYRING === 'gnome-keyring' || process.env.CI === 'true';
const skipReason = wantsRealKeychain
  ? null
  : 'no Secret Service in this run (TAB_KEYRING is not gnome-keyring): run `dbus-run-session -- bash scripts/with-keyring.sh npx vitest run test/electron` or `npm test`';
if (skipReason) console.log(`[credential-store] real-keychain tests skipped: ${skipReason}`);

const keytar = (wantsRealKeychain ? createRequire(import.meta.url)('keytar') : null) as KeytarLike | null;
/** A unique server origin per test (the service must stay `TAB`); every one is cleaned up. */
const origins: string[] = [];
const uniqueOrigin = () => {
  const origin = `https://test-${randomUUID()}.tab.invalid`;
  origins.push(origin);
  return origin;
};

describe.skipIf(!wantsRealKeychain)('credential store on the real keychain (Secret Service)', () => {
  afterAll(async () => {
    for (const origin of origins) {
      const accounts = keychainAccounts(origin);
      await keytar!.deletePassword(KEYCHAIN_SERVICE, accounts.jwt).catch(() => false);
      await keytar!.deletePassword(KEYCHAIN_SERVICE, accounts.cookie).catch(() => false);
    }
  });

  it('keytar reaches the keychain (a failure here under CI=true means the Secret Service is missing)', async () => {
    const origin = uniqueOrigin();
    await keytar!.setPassword(KEYCHAIN_SERVICE, `${origin}|probe`, 'probe');
    expect(await keytar!.getPassword(KEYCHAIN_SERVICE, `${origin}|probe`)).toBe('probe');
    expect(await keytar!.deletePassword(KEYCHAIN_SERVICE, `${origin}|probe`)).toBe(true);
  });

  it('saves two items under service TAB, `<origin>|session-cookie` and `<origin>|jwt`, and loads them back', async () => {
    const origin = uniqueOrigin();
    const store = createCredentialStore({ keytar });
    expect(store.storage).toBe('keychain');
    await store.save(origin, { jwt: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', cookie: 'cookie-value' });
    expect(store.storage).toBe('keychain');
    expect(await keytar!.getPassword('TAB', `${origin}|jwt`)).toBe('eyJhbGciOiJIUzI1NiJ9.e30.c2ln');
    expect(await keytar!.getPassword('TAB', `${origin}|session-cookie`)).toBe('cookie-value');
    // A new instance (a restart) reads the same items.
    expect(await createCredentialStore({ keytar }).load(origin)).toEqual({ jwt: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', cookie: 'cookie-value' });
  });

  it('clear deletes both items; other servers’ items are untouched', async () => {
    const a = uniqueOrigin();
    const b = uniqueOrigin();
    const store = createCredentialStore({ keytar });
    await store.save(a, { jwt: 'jwt-a', cookie: 'cookie-a' });
    await store.save(b, { jwt: 'jwt-b', cookie: 'cookie-b' });
    await store.clear(a);
    expect(await keytar!.getPassword('TAB', `${a}|jwt`)).toBeNull();
    expect(await keytar!.getPassword('TAB', `${a}|session-cookie`)).toBeNull();
    expect(await store.load(a)).toBeNull();
    expect(await store.load(b)).toEqual({ jwt: 'jwt-b', cookie: 'cookie-b' });
  });

  it('after a keychain error this run, a sign-out still deletes the pair from the real keychain', async () => {
    const origin = uniqueOrigin();
    await createCredentialStore({ keytar }).save(origin, { jwt: 'jwt-before', cookie: 'cookie-before' });
    let reads = 0;
    const lockedOnce: KeytarLike = {
      getPassword: async (s, a) => {
        if (reads++ === 0) throw new Error('Cannot create an item in a locked collection');
        return keytar!.getPassword(s, a);
      },
      setPassword: (s, a, p) => keytar!.setPassword(s, a, p),
      deletePassword: (s, a) => keytar!.deletePassword(s, a),
    };
    const store = createCredentialStore({ keytar: lockedOnce });
    await store.load(origin);
    expect(store.storage).toBe('memory');
    await store.clear(origin);
    expect(await keytar!.getPassword('TAB', `${origin}|jwt`)).toBeNull();
    expect(await keytar!.getPassword('TAB', `${origin}|session-cookie`)).toBeNull();
  });

  it('half a pair is not a session: it is deleted on load', async () => {
    const origin = uniqueOrigin();
    await keytar!.setPassword('TAB', `${origin}|jwt`, 'lonely-jwt');
    expect(await createCredentialStore({ keytar }).load(origin)).toBeNull();
    expect(await keytar!.getPassword('TAB', `${origin}|jwt`)).toBeNull();
  });

  it('a real sign-in’s JWT and cookie are stored and fit far under the Windows limit', async () => {
    const server: TestServer = await startTestServer();
    try {
      const session = await signIn(server.url, 'ana@demo.test', { client: 'desktop', deviceName: 'x'.repeat(100) });
      const origin = uniqueOrigin();
      const store = createCredentialStore({ keytar });
      await store.save(origin, { jwt: session.token, cookie: session.cookie });
      expect(store.storage).toBe('keychain');
      for (const value of [session.token, session.cookie]) {
        expect(value.length).toBeLessThanOrEqual(MAX_ITEM_CHARS);
        expect(value.length).toBeLessThan(WINDOWS_CREDENTIAL_LIMIT_CHARS / 2);
      }
      expect(await store.load(origin)).toEqual({ jwt: session.token, cookie: session.cookie });
    } finally {
      await server.close();
    }
  });
});

describe('credential store without the OS keychain', () => {
  it('item size: each value must stay well under Windows’ ~1,280 UTF-16 character limit', () => {
    expect(MAX_ITEM_CHARS).toBeLessThan(WINDOWS_CREDENTIAL_LIMIT_CHARS);
    expect(() => assertItemFits('JWT', 'a'.repeat(MAX_ITEM_CHARS))).not.toThrow();
    expect(() => assertItemFits('JWT', 'a'.repeat(MAX_ITEM_CHARS + 1))).toThrow(CredentialTooLargeError);
    // UTF-8 bytes count too (Windows keeps keytar's value as bytes).
    expect(() => assertItemFits('JWT', '€'.repeat(700))).toThrow(CredentialTooLargeError);
  });

  it('a value too large for the keychain is kept in memory instead, with the notice', async () => {
    const items = new Map<string, string>();
    const fake: KeytarLike = {
      getPassword: async (_s, a) => items.get(a) ?? null,
      setPassword: async (_s, a, p) => void items.set(a, p),
      deletePassword: async (_s, a) => items.delete(a),
    };
    const notices: string[] = [];
    const store = createCredentialStore({ keytar: fake, onFallback: (n) => notices.push(n) });
    await store.save('https://big.example', { jwt: 'x'.repeat(5000), cookie: 'c' });
    expect(items.size).toBe(0);
    expect(store.storage).toBe('memory');
    expect(notices).toEqual([MEMORY_NOTICE]);
    expect(await store.load('https://big.example')).toEqual({ jwt: 'x'.repeat(5000), cookie: 'c' });
  });

  it('a keytar that throws (no Secret Service) → memory storage and one notice; everything still works for this run', async () => {
    const throwing: KeytarLike = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    };
    const notices: string[] = [];
    const store = createCredentialStore({ keytar: throwing, onFallback: (n) => notices.push(n) });
    expect(store.storage).toBe('keychain');
    expect(await store.load('https://a.example')).toBeNull();
    expect(store.storage).toBe('memory');
    await store.save('https://a.example', { jwt: 'j', cookie: 'c' });
    expect(await store.load('https://a.example')).toEqual({ jwt: 'j', cookie: 'c' });
    await store.clear('https://a.example');
    expect(await store.load('https://a.example')).toBeNull();
    expect(notices).toEqual([MEMORY_NOTICE]);
    expect(store.notice).toBe(MEMORY_NOTICE);
  });
});

