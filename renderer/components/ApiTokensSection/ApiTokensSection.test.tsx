import { describe, expect, it, vi } from 'vitest';
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { API_TOKEN_PREFIX, type ApiToken, type CreateApiTokenRequest } from '../../../shared/api/api-tokens.js';
import { ApiError, type TabApi } from '../../../shared/api/client.js';
import { SignedInContext, type SignedInValue } from '../../auth/auth-context.js';
import type { Backend } from '../../backend/backend.js';
import { ApiTokensSection } from './ApiTokensSection.js';

/** An obviously fake token, built from the prefix so that no token-shaped literal sits in the source. */
const SHOWN_ONCE = `${API_TOKEN_PREFIX}example-not-a-real-token`;

// Waits for the screen are bounded generously: the machine is shared, and these are correctness checks.
configure({ asyncUtilTimeout: 5000 });

const user = { id: 'u-ana', email: 'ana@demo.test', name: 'Ana Accountant', role: 'accountant' as const, workspaceId: 'w' };

const token = (overrides: Partial<ApiToken> = {}): ApiToken => ({
  id: 't1',
  name: 'Export script',
  scopes: ['time:read', 'reports:read'],
  createdAt: '2026-11-01T09:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  ...overrides,
});

/** The token calls of the API, backed by a list; the password is "right-password" (its re-check grants "grant"). */
function fakeApi(initial: ApiToken[]) {
  let tokens = [...initial];
  const api = {
    reauthOptions: vi.fn(async () => ({ totp: false, passkey: false, sso: null })),
    reauth: vi.fn(async (body: { password: string }) => {
      if (body.password !== 'right-password') throw new ApiError(403, 'reauth_failed', 'That password is not right.');
      return { grant: 'grant', expiresAt: '2026-12-02T10:00:00.000Z' };
    }),
    reauthPasskeyOptions: vi.fn(),
    reauthPasskey: vi.fn(),
    ssoReauthStart: vi.fn(),
    ssoReauthComplete: vi.fn(),
    listApiTokens: vi.fn(async () => ({ tokens: [...tokens] })),
    revokeApiToken: vi.fn(async (id: string) => {
      tokens = tokens.filter((t) => t.id !== id);
    }),
    createApiToken: vi.fn(async (body: CreateApiTokenRequest) => {
      if (body.reauthGrant !== 'grant') throw new ApiError(403, 'reauth_grant_invalid', 'No grant.');
      const made = token({ id: `t${tokens.length + 2}`, name: body.name, scopes: body.scopes });
      tokens = [made, ...tokens];
      return { id: made.id, name: made.name, scopes: made.scopes, token: SHOWN_ONCE, createdAt: made.createdAt, expiresAt: null };
    }),
  };
  return api;
}

function renderSection(api: ReturnType<typeof fakeApi>, backend: Partial<Backend> = {}) {
  const value = {
    backend: { kind: 'web', api: api as unknown as TabApi, ...backend } as Backend,
    user,
    signOut: () => {},
    sessionsVersion: 0,
    timeVersion: 0,
    timeChanged: () => {},
    updateUser: () => {},
    accountVersion: 0,
    sync: null,
  } satisfies SignedInValue;
  const wrap = ({ children }: { children: ReactNode }) => <SignedInContext.Provider value={value}>{children}</SignedInContext.Provider>;
  return render(<ApiTokensSection />, { wrapper: wrap });
}

describe('ApiTokensSection', () => {
  it('lists the tokens with their scopes, times and a revoke button each; revoking removes one', async () => {
    const api = fakeApi([token(), token({ id: 't2', name: 'Nightly sync', scopes: ['time:write'], expiresAt: '2027-02-01T00:00:00.000Z', lastUsedAt: new Date().toISOString() })]);
    renderSection(api);
    const rows = await screen.findAllByTestId('api-token-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Read time')).toBeInTheDocument();
    expect(within(rows[0]!).getByText('Read reports')).toBeInTheDocument();
    expect(within(rows[0]!).getByText(/never expires · never used/)).toBeInTheDocument();
    expect(within(rows[1]!).getByText(/expires .*2027.* · last used just now/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke Nightly sync' }));
    expect(api.revokeApiToken).toHaveBeenCalledWith('t2');
    expect(await screen.findByText('Revoked Nightly sync')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('api-token-row')).toHaveLength(1));
  }, 15_000);

  it('says so when there are none', async () => {
    renderSection(fakeApi([]));
    expect(await screen.findByText(/No API tokens/)).toBeInTheDocument();
  });

  it('creates a token with name, scopes and expiry, then the shared re-check; a wrong password is said on the field; the token is shown once', async () => {
    const api = fakeApi([]);
    renderSection(api);
    await screen.findByText(/No API tokens/);
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    const form = await screen.findByRole('dialog');
    await userEvent.click(within(form).getByRole('button', { name: 'Continue' }));
    expect(within(form).getByText(/Give the token a name/)).toBeInTheDocument();

    await userEvent.type(within(form).getByLabelText('Name'), 'Invoice export');
    await userEvent.click(within(form).getByLabelText(/^Read reports/));
    await userEvent.selectOptions(within(form).getByLabelText('Expires after'), '30');
    await userEvent.click(within(form).getByRole('button', { name: 'Continue' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API token' });
    expect(dialog).toHaveTextContent('Confirm it is you to create Invoice export');
    await userEvent.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'wrong-password');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(await within(dialog).findByText('That password is not right.')).toBeInTheDocument();
    expect(api.createApiToken).not.toHaveBeenCalled();

    await userEvent.clear(within(dialog).getByLabelText('Your password', { selector: 'input' }));
    await userEvent.type(within(dialog).getByLabelText('Your password', { selector: 'input' }), 'right-password');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create token' }));
    expect(api.createApiToken).toHaveBeenLastCalledWith({ name: 'Invoice export', scopes: ['time:read', 'reports:read'], expiresInDays: 30, reauthGrant: 'grant' });
    const shown = await screen.findByTestId('new-api-token');
    expect(shown).toHaveTextContent(SHOWN_ONCE);
    expect(screen.getByText(/will never show it again/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy token' })).toBeInTheDocument();
    expect(await screen.findByText('Invoice export', { selector: '.tab-token-list__name' })).toBeInTheDocument();
    // Typing into several fields is slow in jsdom on a busy machine: a generous bound, not a speed claim.
  }, 30_000);

  it('in the desktop app, the create button opens the web Profile page in the browser instead of minting here', async () => {
    const api = fakeApi([]);
    const openProfileInBrowser = vi.fn(async () => {});
    renderSection(api, { kind: 'desktop', openProfileInBrowser });
    await userEvent.click(await screen.findByRole('button', { name: 'Create a token in the browser' }));
    expect(openProfileInBrowser).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.createApiToken).not.toHaveBeenCalled();
  });

  it('in a desktop without that bridge call yet, it says where to go', async () => {
    renderSection(fakeApi([]), { kind: 'desktop' });
    await userEvent.click(await screen.findByRole('button', { name: 'Create a token in the browser' }));
    expect(await screen.findByText('Create tokens in the web client')).toBeInTheDocument();
  });
});
