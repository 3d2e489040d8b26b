import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
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
    };
    render(<TwoFactorSection api={api} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up an authenticator app' }));
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

  it('turning it off asks for the password and a code, and says which one was wrong', async () => {
    const api = {
      twoFactorStatus: vi.fn(async () => ({ enabled: true, methods: ['totp' as const], recoveryCodesLeft: 3, required: true })),
      startTotpEnrolment: vi.fn(),
      confirmTotpEnrolment: vi.fn(),
      disableTwoFactor: vi.fn().mockRejectedValueOnce(new ApiError(403, 'mfa_code_invalid', 'wrong')).mockResolvedValueOnce(undefined),
    };
    render(<TwoFactorSection api={api} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Turn off two-factor' }));
    expect(screen.getByText(/asked to set it up again/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(api.disableTwoFactor).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.type(screen.getByLabelText('Code from your app'), '111111');
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(await screen.findByText('That code is not right, or it was used already.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Code from your app'));
    await user.type(screen.getByLabelText('Code from your app'), '222222');
    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(api.disableTwoFactor).toHaveBeenLastCalledWith({ currentPassword: 'demo-pass-2026', code: '222222' });
    expect(await screen.findByText('Two-factor is off')).toBeInTheDocument();
  });
});
