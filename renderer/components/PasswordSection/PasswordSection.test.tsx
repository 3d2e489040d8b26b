import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { PasswordSection } from './PasswordSection.js';

async function fill(current: string, next: string, confirm = next) {
  const user = userEvent.setup();
  if (current) await user.type(screen.getByLabelText('Current password', { selector: 'input' }), current);
  if (next) await user.type(screen.getByLabelText('New password', { selector: 'input' }), next);
  if (confirm) await user.type(screen.getByLabelText('New password, again', { selector: 'input' }), confirm);
  return user;
}

describe('PasswordSection', () => {
  it('signs the other sessions out by default, and says how many', async () => {
    const changePassword = vi.fn(async () => ({ revoked: 2 }));
    render(<PasswordSection api={{ changePassword }} />);
    expect(screen.getByRole('checkbox', { name: 'Sign out my other sessions' })).toBeChecked();
    const user = await fill('demo-pass-2026', 'a-much-longer-secret');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(changePassword).toHaveBeenCalledWith({ currentPassword: 'demo-pass-2026', newPassword: 'a-much-longer-secret', signOutOtherSessions: true });
    expect(await screen.findByText('Password changed')).toBeInTheDocument();
    expect(screen.getByText('Signed out 2 other sessions.')).toBeInTheDocument();
    expect(screen.getByLabelText('Current password', { selector: 'input' })).toHaveValue('');
  });

  it('keeps the other sessions when the box is cleared', async () => {
    const changePassword = vi.fn(async () => ({ revoked: 0 }));
    render(<PasswordSection api={{ changePassword }} />);
    const user = await fill('demo-pass-2026', 'a-much-longer-secret');
    await user.click(screen.getByRole('checkbox', { name: 'Sign out my other sessions' }));
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(changePassword).toHaveBeenCalledWith(expect.objectContaining({ signOutOtherSessions: false }));
    expect(await screen.findByText('Your other sessions stay signed in.')).toBeInTheDocument();
  });

  it('checks the fields before asking the server: length, a different password, the same twice', async () => {
    const changePassword = vi.fn();
    render(<PasswordSection api={{ changePassword }} />);
    let user = await fill('', 'short', 'shorter');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('Enter your current password.')).toBeInTheDocument();
    expect(screen.getByText('Use at least 10 characters.')).toBeInTheDocument();
    expect(screen.getByText('The two new passwords do not match.')).toBeInTheDocument();
    user = await fill('same-password-1', '');
    await user.clear(screen.getByLabelText('New password', { selector: 'input' }));
    await user.type(screen.getByLabelText('New password', { selector: 'input' }), 'same-password-1');
    await user.clear(screen.getByLabelText('New password, again', { selector: 'input' }));
    await user.type(screen.getByLabelText('New password, again', { selector: 'input' }), 'same-password-1');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByText('The new password must differ from the current one.')).toBeInTheDocument();
    expect(changePassword).not.toHaveBeenCalled();
  });

  it('shows a wrong current password (403 reauth_failed) at its field', async () => {
    const changePassword = vi.fn(async () => {
      throw new ApiError(403, 'reauth_failed', 'The current password is not right.');
    });
    render(<PasswordSection api={{ changePassword }} />);
    const user = await fill('not-my-password', 'a-much-longer-secret');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('That is not your current password. Nothing was changed.')).toBeInTheDocument();
    expect(screen.getByLabelText('Current password', { selector: 'input' })).toHaveAttribute('aria-invalid', 'true');
  });
});
