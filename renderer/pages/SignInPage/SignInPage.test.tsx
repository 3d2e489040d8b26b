import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { ana } from '../../test-support/fake-backend.js';
import { SignInPage } from './SignInPage.js';

describe('SignInPage', () => {
  it('"your account has been disabled" goes once the person tries again; only that attempt’s answer shows', async () => {
    const signIn = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(403, 'account_disabled', 'disabled'))
      .mockRejectedValueOnce(new ApiError(401, 'invalid_credentials', 'nope'))
      .mockResolvedValueOnce(ana);
    const onSignedIn = vi.fn();
    render(<SignInPage backend={{ signIn }} reason="member_disabled" onSignedIn={onSignedIn} />);
    expect(screen.getByTestId('sign-out-reason')).toHaveTextContent('your account has been disabled');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    // Still disabled: said once, by this attempt.
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('This account has been disabled');
    expect(screen.queryByTestId('sign-out-reason')).toBeNull();
    // Re-enabled by an admin, then a typo: nothing about "disabled" is left on screen.
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('The email or password is not right.');
    expect(screen.queryByText(/disabled/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith(ana);
  });
});
