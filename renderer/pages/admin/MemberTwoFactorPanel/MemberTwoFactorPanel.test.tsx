import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemberTwoFactorPanel } from './MemberTwoFactorPanel.js';

function apiFor(state: { authenticatorApp: boolean; recoveryCodesLeft: number; passkeys: number; required: boolean }) {
  return {
    memberTwoFactor: vi.fn(async () => state),
    resetMemberTwoFactor: vi.fn(async () => {
      state = { ...state, authenticatorApp: false, recoveryCodesLeft: 0 };
      return { signedOut: 3, passkeysKept: state.passkeys };
    }),
    memberPasskeys: vi.fn(async () => ({ passkeys: [] })),
    removeMemberPasskey: vi.fn(async () => undefined),
    reauthOptions: vi.fn(async () => ({ totp: false, passkey: false, sso: null })),
    reauth: vi.fn(async () => ({ grant: 'admin-grant', expiresAt: '2026-12-02T10:00:00.000Z' })),
    reauthPasskeyOptions: vi.fn(),
    reauthPasskey: vi.fn(),
    ssoReauthStart: vi.fn(),
    ssoReauthComplete: vi.fn(),
  };
}

describe('MemberTwoFactorPanel', () => {
  it('an admin resets a member’s two-factor after their own re-check; the dialog says what goes and what stays', async () => {
    const api = apiFor({ authenticatorApp: true, recoveryCodesLeft: 7, passkeys: 1, required: true });
    const onReset = vi.fn();
    render(<MemberTwoFactorPanel api={api} userId="ana" memberName="Ana" canReset allowSso={false} reloadKey={0} onReset={onReset} />);
    expect(await screen.findByTestId('member-two-factor-summary')).toHaveTextContent('Authenticator app on · 7 recovery codes left · 1 passkey');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reset two-factor' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reset Ana’s two-factor' });
    expect(dialog).toHaveTextContent('every session of theirs is signed out now');
    expect(dialog).toHaveTextContent('Their 1 passkey keep working');
    await user.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(within(dialog).getByRole('button', { name: 'Reset two-factor' }));
    expect(api.resetMemberTwoFactor).toHaveBeenCalledWith('ana', { reauthGrant: 'admin-grant' });
    expect(onReset).toHaveBeenCalledWith(expect.objectContaining({ kind: 'success', title: 'Ana’s two-factor was reset', subtitle: expect.stringContaining('Signed out 3 sessions') }));
    expect(await screen.findByTestId('member-two-factor-summary')).toHaveTextContent('No authenticator app · 1 passkey');
    expect(screen.queryByRole('button', { name: 'Reset two-factor' })).toBeNull();
  });

  it('managers (and an admin on themselves) see the state without the reset', async () => {
    const api = apiFor({ authenticatorApp: true, recoveryCodesLeft: 10, passkeys: 0, required: false });
    render(<MemberTwoFactorPanel api={api} userId="ana" memberName="Ana" canReset={false} allowSso={false} reloadKey={0} onReset={vi.fn()} />);
    expect(await screen.findByTestId('member-two-factor-summary')).toHaveTextContent('Authenticator app on · 10 recovery codes left · 0 passkeys');
    expect(screen.queryByRole('button', { name: 'Reset two-factor' })).toBeNull();
  });
});
