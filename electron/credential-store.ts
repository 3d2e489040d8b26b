import type { CredentialStorage } from '../shared/ipc/contract.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

/** The part of keytar this store uses (so tests can hand in a fake, or one that throws). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The keychain service every TAB item is stored under. */
export const KEYCHAIN_SERVICE = 'TAB';

/**
 * Windows Credential Manager refuses a credential blob over 2,560 bytes
 * (~1,280 UTF-16 characters). Each item must stay well under it.
 */
export const WINDOWS_CREDENTIAL_LIMIT_CHARS = 1280;
export const MAX_ITEM_CHARS = 1000;
export const MAX_ITEM_UTF8_BYTES = 2000;

export interface StoredCredentials {
  /** The session's JWT, sent as `Authorization: Bearer`. */
  jwt: string;
  /** The `tab_session` cookie value. */
  cookie: string;
}

export const MEMORY_NOTICE =
  'The system keychain is not available, so you are signed in for this session only: you will have to sign in again the next time you open TAB.';

export function keychainAccounts(origin: string): { cookie: string; jwt: string } {
  return { cookie: `${origin}|session-cookie`, jwt: `${origin}|jwt` };
}

export class CredentialTooLargeError extends Error {
  constructor(readonly item: string, readonly chars: number) {
    super(`The ${item} (${chars} characters) is too large for the system keychain.`);
    this.name = 'CredentialTooLargeError';
  }
}

/** Throws when a value would not fit in a keychain item on every platform. */
export function assertItemFits(item: string, value: string): void {
  const bytes = new TextEncoder().encode(value).length;
  if (value.length > MAX_ITEM_CHARS || bytes > MAX_ITEM_UTF8_BYTES) throw new CredentialTooLargeError(item, value.length);
}

export interface CredentialStore {
  /** Where the credentials live now: the keychain, or memory for this run. */
  readonly storage: CredentialStorage;
  /** Set once the store fell back to memory: what to tell the user. */
  readonly notice: string | null;
  load(origin: string): Promise<StoredCredentials | null>;
  save(origin: string, credentials: StoredCredentials): Promise<void>;
  clear(origin: string): Promise<void>;
}

export interface CredentialStoreOptions {
  /** keytar, or null when it could not be loaded at all. */
  keytar: KeytarLike | null;
  service?: string;
  log?: Logger;
  /** Told once, when the store falls back to memory. */
  onFallback?: (notice: string) => void;
}

/**
 * Two keychain items per server (the cookie and the JWT), service `TAB`. If the
 * keychain fails (no Secret Service on Linux, a locked keychain…) the store
 * falls back to memory for the rest of this run and says so once. It never
 * writes a secret anywhere else.
 */
export function createCredentialStore(options: CredentialStoreOptions): CredentialStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const log = options.log ?? silentLogger;
  const memory = new Map<string, StoredCredentials>();
  /** The keychain in use; null once it failed (memory for the rest of this run). */
  let keytar = options.keytar;
  /** The keychain as loaded, kept after a fallback: a sign-out still tries to delete what an earlier run stored there. */
  const loaded = options.keytar;
  let notice: string | null = null;

  const fallBack = (cause: unknown) => {
    if (keytar === null && notice !== null) return;
    keytar = null;
    notice = MEMORY_NOTICE;
    log.log('warn', 'keychain unavailable: keeping credentials in memory for this run', {
      cause: cause instanceof Error ? cause.name + ': ' + cause.message.slice(0, 200) : 'keytar not loaded',
    });
    options.onFallback?.(notice);
  };
  if (keytar === null) fallBack(null);

  return {
    get storage() {
      return keytar ? 'keychain' : 'memory';
    },
    get notice() {
      return notice;
    },
    async load(origin) {
      if (keytar) {
        const accounts = keychainAccounts(origin);
        try {
          const [jwt, cookie] = await Promise.all([keytar.getPassword(service, accounts.jwt), keytar.getPassword(service, accounts.cookie)]);
          if (jwt && cookie) return { jwt, cookie };
          if (jwt || cookie) {
            // Half a pair is useless (and a leftover): forget it.
            await Promise.all([keytar.deletePassword(service, accounts.jwt), keytar.deletePassword(service, accounts.cookie)]);
          }
          return null;
        } catch (error) {
          fallBack(error);
        }
      }
      return memory.get(origin) ?? null;
    },
    async save(origin, credentials) {
      if (keytar) {
        const accounts = keychainAccounts(origin);
        try {
          assertItemFits('session cookie', credentials.cookie);
          assertItemFits('JWT', credentials.jwt);
          await keytar.setPassword(service, accounts.cookie, credentials.cookie);
          await keytar.setPassword(service, accounts.jwt, credentials.jwt);
          return;
        } catch (error) {
          try {
            await keytar?.deletePassword(service, accounts.cookie);
            await keytar?.deletePassword(service, accounts.jwt);
          } catch {
            /* the keychain is gone: nothing was kept in it */
          }
          fallBack(error);
        }
      }
      memory.set(origin, { ...credentials });
    },
    async clear(origin) {
      memory.delete(origin);
      // Always try the keychain, even after a fallback: a sign-out or a 401 must never leave
      // the old JWT and cookie there for the next launch to restore.
      if (!loaded) return;
      const accounts = keychainAccounts(origin);
      const results = await Promise.allSettled([loaded.deletePassword(service, accounts.cookie), loaded.deletePassword(service, accounts.jwt)]);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) {
        log.log('warn', 'could not delete the credentials from the keychain', {
          cause: failure.reason instanceof Error ? failure.reason.name + ': ' + failure.reason.message.slice(0, 200) : 'unknown',
        });
        if (keytar) fallBack(failure.reason);
      }
    },
  };
}

/** Loads keytar (a native module); null when it is missing or built for another ABI. */
export function loadKeytar(requireFn: (id: string) => unknown, log: Logger = silentLogger): KeytarLike | null {
  try {
    const mod = requireFn('keytar') as KeytarLike & { default?: KeytarLike };
    const keytar = typeof mod.getPassword === 'function' ? mod : mod.default;
    return keytar && typeof keytar.getPassword === 'function' ? keytar : null;
  } catch (error) {
    log.log('warn', 'keytar could not be loaded', { cause: error instanceof Error ? error.message.slice(0, 200) : String(error) });
    return null;
  }
}
