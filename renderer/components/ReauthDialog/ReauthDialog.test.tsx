import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import type { ReauthOptions } from '../../../shared/api/mfa.js';
import { ReauthDialog } from './ReauthDialog.js';

const sso = vi.hoisted(() => ({ confirmWithSso: vi.fn() }));
vi.mock('../../auth/sso-reauth.js', () => ({
  confirmWithSso: sso.confirmWithSso,
  ssoReauthSupported: () => true,
  SsoReauthCancelled: class extends Error {},
}));

function apiWith(options: ReauthOptions) {
  return {
    reauthOptions: vi.fn(async () => options),
    reauth: vi.fn(async () => ({ grant: 'password-grant', expiresAt: '2026-12-02T10:00:00.000Z' })),
    reauthPasskeyOptions: vi.fn(),
    reauthPasskey: vi.fn(),
    ssoReauthStart: vi.fn(),
    ssoReauthComplete: vi.fn(),
  };
}

function open(api: ReturnType<typeof apiWith>, onConfirmed = vi.fn(async (_grant: string) => {}), allowSso = true) {
  render(
    <ReauthDialog open api={api} heading="Sign everyone out" confirmText="Sign everyone out" danger allowSso={allowSso} onConfirmed={onConfirmed} onClose={() => {}}>
      <p>Everyone is signed out.</p>
    </ReauthDialog>,
  );
  return { onConfirmed, dialog: screen.getByRole('dialog') };
}

describe('ReauthDialog', () => {
  it('a member who signs in with SSO is offered “Confirm with <provider>” first; its grant goes to the change', async () => {
    const api = apiWith({ totp: false, passkey: false, sso: { provider: 'Google' } });
    sso.confirmWithSso.mockResolvedValueOnce('sso-grant');
    const { onConfirmed, dialog } = open(api);
    const user = userEvent.setup();
    await user.click(await within(dialog).findByRole('button', { name: 'Confirm with Google' }));
    expect(sso.confirmWithSso).toHaveBeenCalledWith(api);
    expect(onConfirmed).toHaveBeenCalledWith('sso-grant');
    expect(within(dialog).queryByLabelText('Your password', { selector: 'input' })).toBeNull();
  });

  it('the password stays a way (“Use your TAB password instead”); a wrong one is said at the field', async () => {
    const api = apiWith({ totp: false, passkey: false, sso: { provider: 'Microsoft' } });
    api.reauth.mockRejectedValueOnce(new ApiError(403, 'reauth_failed', 'wrong'));
    const { onConfirmed, dialog } = open(api);
    const user = userEvent.setup();
    await user.click(await within(dialog).findByText('Use your TAB password instead'));
    await user.type(within(dialog).getByLabelText('Your password', { selector: 'input' }), 'nope-nope');
    await user.click(within(dialog).getByRole('button', { name: 'Sign everyone out' }));
    expect(await within(dialog).findByText('That password is not right.')).toBeInTheDocument();
    expect(onConfirmed).not.toHaveBeenCalled();
    await user.clear(within(dialog).getByLabelText('Your password', { selector: 'input' }));
    await user.type(within(dialog).getByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(within(dialog).getByRole('button', { name: 'Sign everyone out' }));
    expect(api.reauth).toHaveBeenLastCalledWith({ password: 'demo-pass-2026' });
    expect(onConfirmed).toHaveBeenCalledWith('password-grant');
  });

  it('the desktop (no SSO pop-up) asks for the password and the code; the change’s own refusal is shown in the dialog', async () => {
    const api = apiWith({ totp: true, passkey: false, sso: { provider: 'Google' } });
    const onConfirmed = vi.fn(async (_grant: string) => {
      throw new ApiError(409, 'mfa_not_enabled', 'This member has no authenticator app to reset.');
    });
    const { dialog } = open(api, onConfirmed, false);
    const user = userEvent.setup();
    expect(within(dialog).queryByText('Use your TAB password instead')).toBeNull();
    await user.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(within(dialog).getByRole('button', { name: 'Sign everyone out' }));
    expect(await within(dialog).findByText('Enter the code from your authenticator app (or a recovery code).')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Code from your authenticator app'), '123456');
    await user.click(within(dialog).getByRole('button', { name: 'Sign everyone out' }));
    expect(api.reauth).toHaveBeenCalledWith({ password: 'demo-pass-2026', code: '123456' });
    expect(await within(dialog).findByText('This member has no authenticator app to reset.')).toBeInTheDocument();
  });
});
