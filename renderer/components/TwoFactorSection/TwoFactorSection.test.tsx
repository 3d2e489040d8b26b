import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { TwoFactorSection } from './TwoFactorSection.js';

const enrolment = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/TAB:ana', qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' };

describe('TwoFactorSection', () => {
  it('sets up an authenticator: QR and key, a wrong first code is said, the right one shows the recovery codes once', async () => {
    let enabled = false;
    const api = {
      twoFactorStatus: vi.fn(async () => ({ enabled, methods: enabled ? (['totp', 'recovery_code'] as const).slice() : [], recoveryCodesLeft: enabled ? 10 : 0, required: false })),
      startTotpEnrolment: vi.fn(async () => enrolment),
      confirmTotpEnrolment: vi
        .fn()
        .mockRejectedValueOnce(new ApiError(403, 'mfa_code_invalid', 'wrong'))
        .mockImplementationOnce(async () => {
          enabled = true;
          return { recoveryCodes: Array.from({ length: 10 }, (_, i) => `code${i}-abcde`) };
        }),
      disableTwoFactor: vi.fn(),
      ...reauthApi(),
    };
    render(<TwoFactorSection api={api} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
    await user.type(screen.getByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(api.startTotpEnrolment).toHaveBeenCalledWith({ currentPassword: 'demo-pass-2026' });
    expect(await screen.findByTestId('totp-qr')).toHaveAttribute('src', expect.stringMatching(/^data:image\/svg\+xml/));
    expect(screen.getByTestId('totp-secret')).toHaveTextContent('JBSW Y3DP');
    await user.type(screen.getByLabelText('Code from the app'), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor' }));
    expect(await screen.findByText(/That code is not right/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Code from the app'));
    await user.type(screen.getByLabelText('Code from the app'), '654321');
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor' }));
    expect(await screen.findByTestId('recovery-codes')).toHaveTextContent('code9-abcde');
    expect(api.confirmTotpEnrolment).toHaveBeenLastCalledWith('654321');
    await user.click(screen.getByRole('button', { name: 'I saved them' }));
    expect(screen.queryByTestId('recovery-codes')).toBeNull();
    expect(await screen.findByText(/10 recovery codes left/)).toBeInTheDocument();
  });

  it('turning it off goes through the re-check dialog (password and code) and hands its grant over', async () => {
    const api = {
      twoFactorStatus: vi.fn(async () => ({ enabled: true, methods: ['totp' as const], recoveryCodesLeft: 3, required: true })),
      startTotpEnrolment: vi.fn(),
      confirmTotpEnrolment: vi.fn(),
      disableTwoFactor: vi.fn().mockResolvedValue(undefined),
      ...reauthApi(),
    };
    api.reauth.mockRejectedValueOnce(new ApiError(403, 'mfa_code_invalid', 'wrong'));
    render(<TwoFactorSection api={api} />);
    const user = userEvent.setup();
    expect(await screen.findByText(/Running low/)).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Turn off two-factor' }));
    const dialog = await screen.findByRole('dialog', { name: 'Turn off two-factor' });
    expect(within(dialog).getByText(/asked to set it up again/)).toBeInTheDocument();
    await user.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.type(within(dialog).getByLabelText('Code from your authenticator app'), '111111');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    expect(await within(dialog).findByText('That code is not right, or it was used already.')).toBeInTheDocument();
    expect(api.disableTwoFactor).not.toHaveBeenCalled();
    await user.clear(within(dialog).getByLabelText('Code from your authenticator app'));
    await user.type(within(dialog).getByLabelText('Code from your authenticator app'), '222222');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    expect(api.reauth).toHaveBeenLastCalledWith({ password: 'demo-pass-2026', code: '222222' });
    expect(api.disableTwoFactor).toHaveBeenLastCalledWith({ reauthGrant: 'grant-1' });
    expect(await screen.findByText('Two-factor is off')).toBeInTheDocument();
  });

  it('new recovery codes: a re-check, then the ten new codes shown once with copy and download; “left” counts again', async () => {
    let left = 2;
    const fresh = Array.from({ length: 10 }, (_, i) => `new${i}-abcde`);
    const api = {
      ...reauthApi(),
      twoFactorStatus: vi.fn(async () => ({ enabled: true, methods: ['totp' as const, 'recovery_code' as const], recoveryCodesLeft: left, required: false })),
      startTotpEnrolment: vi.fn(),
      confirmTotpEnrolment: vi.fn(),
      disableTwoFactor: vi.fn(),
      regenerateRecoveryCodes: vi.fn(async () => {
        left = 10;
        return { recoveryCodes: fresh };
      }),
    };
    render(<TwoFactorSection api={api} />);
    const user = userEvent.setup();
    expect(await screen.findByTestId('recovery-codes-left')).toHaveTextContent('2 recovery codes left.');
    await user.click(screen.getByRole('button', { name: 'Make new recovery codes' }));
    const dialog = await screen.findByRole('dialog', { name: 'Make new recovery codes' });
    expect(within(dialog).getByText(/Every old code stops working/)).toBeInTheDocument();
    await user.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
    await user.type(within(dialog).getByLabelText('Code from your authenticator app'), '333333');
    await user.click(within(dialog).getByRole('button', { name: 'Make new codes' }));
    expect(api.regenerateRecoveryCodes).toHaveBeenCalledWith({ reauthGrant: 'grant-1' });
    expect(await screen.findByTestId('recovery-codes')).toHaveTextContent('new9-abcde');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'I saved them' }));
    expect(await screen.findByTestId('recovery-codes-left')).toHaveTextContent('10 recovery codes left.');
  });
});

/** The re-check dialog's calls: a password re-check that answers a grant; no passkey, no single sign-on. */
function reauthApi() {
  return {
    regenerateRecoveryCodes: vi.fn(),
    reauthOptions: vi.fn(async () => ({ totp: true, passkey: false, sso: null })),
    reauth: vi.fn(async (_body: { password: string; code?: string }) => ({ grant: 'grant-1', expiresAt: '2026-12-02T10:00:00.000Z' })),
    reauthPasskeyOptions: vi.fn(),
    reauthPasskey: vi.fn(),
    ssoReauthStart: vi.fn(),
    ssoReauthComplete: vi.fn(),
  };
}
