import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../../shared/api/client.js';
import { TwoFactorPolicyPanel } from './TwoFactorPolicyPanel.js';

describe('TwoFactorPolicyPanel', () => {
  it('shows the policy, saves a new one, and says why the server refused one', async () => {
    const api = {
      getTwoFactorPolicy: vi.fn(async () => ({ requireTwoFactor: 'off' as const })),
      putTwoFactorPolicy: vi
        .fn()
        .mockRejectedValueOnce(new ApiError(409, 'mfa_not_enabled', 'Turn on two-factor for yourself first (Profile), then require it of others.'))
        .mockResolvedValueOnce({ requireTwoFactor: 'admins_managers' }),
    };
    render(<TwoFactorPolicyPanel api={api} />);
    const user = userEvent.setup();
    expect(await screen.findByLabelText('Not required (each member chooses)')).toBeChecked();
    const save = screen.getByRole('button', { name: 'Save two-factor policy' });
    expect(save).toBeDisabled();
    await user.click(screen.getByLabelText('Required for admins and managers'));
    await user.click(save);
    expect(await screen.findByText(/Turn on two-factor for yourself first/)).toBeInTheDocument();
    await user.click(save);
    expect(api.putTwoFactorPolicy).toHaveBeenLastCalledWith({ requireTwoFactor: 'admins_managers' });
    expect(await screen.findByText('Two-factor policy saved')).toBeInTheDocument();
  });
});
