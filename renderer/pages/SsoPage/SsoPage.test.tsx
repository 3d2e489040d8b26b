import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { ana } from '../../test-support/fake-backend.js';
import { SsoPage } from './SsoPage.js';

const props = () => ({ request: vi.fn(), goTo: vi.fn(), onSignedIn: vi.fn(), onBackToSignIn: vi.fn() });

describe('SsoPage', () => {
  it('back from the provider: finishes the sign-in once with code, state and iss', async () => {
    const p = props();
    p.request.mockResolvedValue({ token: 't', user: ana, session: {} });
    render(<SsoPage {...p} path="/sso/callback" search="?code=c1&state=s1&iss=https%3A%2F%2Fidp.example" />);
    await vi.waitFor(() => expect(p.onSignedIn).toHaveBeenCalledWith(ana));
    expect(p.request).toHaveBeenCalledTimes(1);
    expect(p.request).toHaveBeenCalledWith({ method: 'POST', path: '/api/v1/auth/sso/complete', body: { code: 'c1', state: 's1', iss: 'https://idp.example' } });
  });

  it('says what went wrong (the server’s code, or the provider’s error) and leads back to sign-in', async () => {
    const p = props();
    p.request.mockRejectedValue(new ApiError(403, 'sso_no_account', 'You are not a member of this workspace yet.'));
    const { unmount } = render(<SsoPage {...p} path="/sso/callback" search="?code=c&state=s" />);
    expect(await screen.findByTestId('sso-error')).toHaveTextContent('You are not a member of this workspace yet.');
    await userEvent.setup().click(screen.getByRole('link', { name: 'Back to sign-in' }));
    expect(p.onBackToSignIn).toHaveBeenCalled();
    unmount();
    const q = props();
    render(<SsoPage {...q} path="/sso/callback" search="?error=access_denied&state=s" />);
    expect(await screen.findByTestId('sso-error')).toHaveTextContent('cancelled');
    expect(q.request).not.toHaveBeenCalled();
  });

  it('the workspace’s SSO address starts a sign-in and leaves for the provider', async () => {
    const p = props();
    p.request.mockResolvedValue({ authorizationUrl: 'https://idp.example/authorize?x=1' });
    render(<SsoPage {...p} path="/sso/ws-1" search="" />);
    await vi.waitFor(() => expect(p.goTo).toHaveBeenCalledWith('https://idp.example/authorize?x=1'));
    expect(p.request).toHaveBeenCalledWith({ method: 'POST', path: '/api/v1/auth/sso/start', body: { workspaceId: 'ws-1' } });
  });
});
