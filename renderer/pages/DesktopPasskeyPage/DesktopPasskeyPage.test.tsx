import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { PasskeyPromptError } from '../../auth/passkey-prompt.js';
import { DesktopPasskeyPage } from './DesktopPasskeyPage.js';

const OPTIONS = { challenge: 'c1', rpId: 'tab.example' };
const ASSERTION = { id: 'cred', rawId: 'cred', type: 'public-key', response: {} };

function setup(overrides: { ask?: () => Promise<unknown>; request?: (r: { path: string }) => Promise<unknown> } = {}) {
  const request = vi.fn(
    overrides.request ??
      (async (r: { path: string }) => {
        if (r.path.endsWith('/options')) return { options: OPTIONS, secondStep: false };
        if (r.path.endsWith('/finish')) return { redirectTo: 'http://127.0.0.1:5000/callback?code=x&state=s' };
        return { redirectTo: 'http://127.0.0.1:5000/callback?error=access_denied&state=s' };
      }),
  );
  const askPasskey = vi.fn(overrides.ask ?? (async () => ASSERTION));
  const goTo = vi.fn();
  return { request, askPasskey, goTo };
}

describe('DesktopPasskeyPage (/desktop/passkey, in the system browser)', () => {
  it('asks for the passkey at once, once, and sends the browser to the app’s loopback with the server’s answer', async () => {
    const p = setup();
    render(<DesktopPasskeyPage handoff="h1" {...p} />);
    await vi.waitFor(() => expect(p.goTo).toHaveBeenCalledWith('http://127.0.0.1:5000/callback?code=x&state=s'));
    expect(p.askPasskey).toHaveBeenCalledTimes(1);
    expect(p.askPasskey).toHaveBeenCalledWith(OPTIONS);
    expect(p.request).toHaveBeenCalledWith({ method: 'POST', path: '/api/v1/auth/desktop/passkey/finish', body: { handoff: 'h1', response: ASSERTION } });
    expect(screen.getByTestId('desktop-passkey-done')).toHaveTextContent('go back to the TAB app');
  });

  it('a closed prompt or a refused passkey can be tried again or cancelled (the app is told)', async () => {
    const ask = vi.fn().mockRejectedValueOnce(new PasskeyPromptError('The passkey prompt was closed or timed out. Try again.')).mockResolvedValueOnce(ASSERTION);
    const p = setup({ ask });
    render(<DesktopPasskeyPage handoff="h1" {...p} />);
    expect(await screen.findByTestId('desktop-passkey-error')).toHaveTextContent('closed or timed out');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await vi.waitFor(() => expect(p.goTo).toHaveBeenCalledTimes(1));

    const q = setup({
      request: async (r) => {
        if (r.path.endsWith('/options')) return { options: OPTIONS, secondStep: true };
        if (r.path.endsWith('/finish')) throw new ApiError(403, 'passkey_invalid', 'no');
        return { redirectTo: 'http://127.0.0.1:5000/callback?error=access_denied&state=s' };
      },
    });
    render(<DesktopPasskeyPage handoff="h2" {...q} />);
    expect(await screen.findByText('Confirm your sign-in to the TAB desktop app with your passkey.')).toBeInTheDocument();
    expect(await screen.findByTestId('desktop-passkey-error')).toHaveTextContent('That passkey was not accepted');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(q.goTo).toHaveBeenCalledWith('http://127.0.0.1:5000/callback?error=access_denied&state=s');
    expect(q.request).toHaveBeenLastCalledWith({ method: 'POST', path: '/api/v1/auth/desktop/passkey/cancel', body: { handoff: 'h2' } });
  });

  it('an expired or finished hand-off says to start again in the app (nothing to retry); a missing one too', async () => {
    const p = setup({ request: async () => Promise.reject(new ApiError(410, 'passkey_challenge_expired', 'gone')) });
    const { unmount } = render(<DesktopPasskeyPage handoff="h1" {...p} />);
    expect(await screen.findByTestId('desktop-passkey-error')).toHaveTextContent('Start it again in the TAB app');
    expect(screen.queryByRole('button', { name: 'Use a passkey' })).toBeNull();
    expect(p.askPasskey).not.toHaveBeenCalled();
    unmount();
    const q = setup();
    render(<DesktopPasskeyPage handoff="" {...q} />);
    expect(screen.getByText('This address is incomplete.')).toBeInTheDocument();
    expect(q.request).not.toHaveBeenCalled();
  });
});
