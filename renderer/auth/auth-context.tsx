import { createContext, useContext } from 'react';
import type { User } from '../../shared/api/auth.js';
import type { Backend } from '../backend/backend.js';
import type { SyncStatus } from '../../shared/ipc/contract.js';

/** What every signed-in page may use. Lives only while someone is signed in. */
export interface SignedInValue {
  backend: Backend;
  /** The signed-in person, with their profile (time zone…) once known. */
  user: User;
  /** After a profile change (PATCH /me): the app shows the new values at once. */
  updateUser(user: User): void;
  signOut(): void;
  /** Bumped on every `sessions.changed` event: lists of sessions refetch when it changes. */
  sessionsVersion: number;
  /** Bumped after every time write, every `time.changed` event and every desktop sync change: time figures and lists refetch when it changes. */
  timeVersion: number;
  timeChanged(): void;
  /** Bumped on every `account.changed` event (role, profile, passkeys changed, maybe on another device or by an admin): what shows the account rereads. */
  accountVersion: number;
  /** Desktop only: the local write queue; null on the web. */
  sync: SyncStatus | null;
}

export const SignedInContext = createContext<SignedInValue | null>(null);

export function useSignedIn(): SignedInValue {
  const value = useContext(SignedInContext);
  if (!value) throw new Error('useSignedIn outside a signed-in page');
  return value;
}

export const canSeeAdmin = (user: Pick<User, 'role'>) => user.role === 'admin' || user.role === 'manager';
export const isAdmin = (user: Pick<User, 'role'>) => user.role === 'admin';
/** Clients and reports: managers and admins write and see the firm; accountants read. */
export const canManageTime = canSeeAdmin;
