import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { ana, fakeBackend } from '../../test-support/fake-backend.js';
import { makeSession } from '../../test-support/sessions.js';
import { LinkPage } from './LinkPage.js';

const invitation = { kind: 'invitation', name: 'Ivy Invitee', email: 'ivy@demo.test', workspaceName: 'Demo firm', expiresAt: '2026-11-30T09:00:00.000Z' };

describe('LinkPage', () => {
  it('shows whose invitation it is before anything is typed, then sets the password and signs in', async () => {
    const fake = fakeBackend({
      'POST /api/v1/links/lookup': () => invitation,
      'POST /api/v1/links/complete': () => ({ token: 'jwt', user: { ...ana, name: 'Ivy Invitee' }, session: makeSession({ isCurrent: true }) }),
    });
    const onSignedIn = vi.fn();
    render(<LinkPage backend={fake.backend} token="s3cret" signedInAs={null} onSignOut={() => {}} onSignedIn={onSignedIn} />);
    expect(await screen.findByRole('heading', { name: 'Join Demo firm on TAB' })).toBeInTheDocument();
    expect(screen.getByTestId('link-who')).toHaveTextContent('For Ivy Invitee (ivy@demo.test).');
    expect(screen.getByTestId('link-who')).toHaveTextContent('Not you? Do not use this link');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Choose a password', { selector: 'input' }), 'short');
    await user.type(screen.getByLabelText('The same password, again', { selector: 'input' }), 'other');
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(screen.getByText('Use at least 10 characters.')).toBeInTheDocument();
    expect(screen.getByText('The two passwords do not match.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Choose a password', { selector: 'input' }));
    await user.type(screen.getByLabelText('Choose a password', { selector: 'input' }), 'ivys-passphrase');
    await user.clear(screen.getByLabelText('The same password, again', { selector: 'input' }));
    await user.type(screen.getByLabelText('The same password, again', { selector: 'input' }), 'ivys-passphrase');
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(expect.objectContaining({ name: 'Ivy Invitee' })));
    const sent = fake.send.mock.calls.find(([r]) => r.path === '/api/v1/links/complete')![0];
    expect(sent.body).toEqual({ token: 's3cret', password: 'ivys-passphrase', client: 'web' });
  });

  it('says a reset link ends every other session, and words each refusal so the person can act', async () => {
    const reset = fakeBackend({ 'POST /api/v1/links/lookup': () => ({ ...invitation, kind: 'password_reset' }) });
    render(<LinkPage backend={reset.backend} token="t" signedInAs={null} onSignOut={() => {}} onSignedIn={() => {}} />);
    expect(await screen.findByRole('heading', { name: 'Reset your password' })).toBeInTheDocument();
    expect(screen.getByTestId('link-who')).toHaveTextContent('Setting it signs you out on every device and ends your API tokens.');
  });

  it.each([
    [new ApiError(410, 'link_used', 'x'), 'has been used already'],
    [new ApiError(410, 'link_expired', 'x'), 'has expired. Ask your firm’s TAB admin for a new one.'],
    [new ApiError(404, 'not_found', 'x'), 'may have been replaced by a newer one or cancelled'],
  ])('refusal %#', async (error, words) => {
    const fake = fakeBackend({
      'POST /api/v1/links/lookup': () => {
        throw error;
      },
    });
    render(<LinkPage backend={fake.backend} token="t" signedInAs={null} onSignOut={() => {}} onSignedIn={() => {}} />);
    expect(await screen.findByTestId('link-problem')).toHaveTextContent(words);
    expect(screen.queryByLabelText('Choose a password', { selector: 'input' })).toBeNull();
  });

  it('without the part after "#", says the link is incomplete and asks the server nothing', () => {
    const fake = fakeBackend();
    render(<LinkPage backend={fake.backend} token="" signedInAs={null} onSignOut={() => {}} onSignedIn={() => {}} />);
    expect(screen.getByTestId('link-problem')).toHaveTextContent('This link is incomplete');
    expect(fake.send).not.toHaveBeenCalled();
  });

  it('someone else signed in here must sign out first', async () => {
    const fake = fakeBackend({ 'POST /api/v1/links/lookup': () => invitation });
    const onSignOut = vi.fn();
    render(<LinkPage backend={fake.backend} token="t" signedInAs={ana} onSignOut={onSignOut} onSignedIn={() => {}} />);
    expect(await screen.findByText('You are signed in as Ana Accountant.')).toBeInTheDocument();
    expect(screen.getByText('This link is for Ivy Invitee. Sign out first, then open the link again.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Choose a password', { selector: 'input' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalled();
  });
});
