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
      .mockResolvedValueOnce({ status: 'signed-in', user: ana });
    const onSignedIn = vi.fn();
    render(<SignInPage backend={{ signIn, finishSignIn: vi.fn() }} reason="member_disabled" onSignedIn={onSignedIn} />);
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

  it('two-factor: the 202 second step asks for the code; a wrong code says so and keeps the step; the right one signs in', async () => {
    const signIn = vi.fn().mockResolvedValueOnce({ status: 'second-step', methods: ['totp', 'recovery_code'], enrolRequired: false });
    const finishSignIn = vi.fn().mockRejectedValueOnce(new ApiError(403, 'mfa_code_invalid', 'wrong')).mockResolvedValueOnce(ana);
    const onSignedIn = vi.fn();
    render(<SignInPage backend={{ signIn, finishSignIn }} reason={null} onSignedIn={onSignedIn} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Two-factor sign-in' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Authenticator code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('That code is not right');
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Authenticator code'), '654321');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(finishSignIn).toHaveBeenLastCalledWith('654321');
    expect(onSignedIn).toHaveBeenCalledWith(ana);
  });

  it('an expired second step goes back to the password', async () => {
    const signIn = vi.fn().mockResolvedValueOnce({ status: 'second-step', methods: ['totp'], enrolRequired: false });
    const finishSignIn = vi.fn().mockRejectedValueOnce(new ApiError(410, 'mfa_challenge_expired', 'expired'));
    render(<SignInPage backend={{ signIn, finishSignIn }} reason={null} onSignedIn={vi.fn()} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText('Authenticator code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('took too long');
    expect(screen.getByRole('heading', { name: 'Sign in to TAB' })).toBeInTheDocument();
  });

  it('e-mail-first: a firm with SSO gets "Sign in with SSO" once the address is typed; required SSO makes it the main button', async () => {
    const discover = vi.fn(async (email: string) => ({ sso: email.endsWith('@demo.test'), required: true }));
    const start = vi.fn().mockRejectedValueOnce(new ApiError(404, 'sso_not_configured', 'Single sign-on is not set up for that e-mail domain.')).mockResolvedValue(undefined);
    render(<SignInPage backend={{ signIn: vi.fn(), finishSignIn: vi.fn() }} reason={null} onSignedIn={vi.fn()} sso={{ discover, start }} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'someone@elsewhere.test');
    await user.click(screen.getByLabelText('Password', { selector: 'input' }));
    expect(discover).toHaveBeenCalledWith('someone@elsewhere.test');
    expect(screen.queryByTestId('sso-button')).toBeNull();
    await user.clear(screen.getByLabelText('Email'));
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.click(screen.getByLabelText('Password', { selector: 'input' }));
    expect(await screen.findByText('Your firm signs in to TAB with single sign-on.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in with password' })).toBeInTheDocument();
    await user.click(screen.getByTestId('sso-button'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('not set up');
    await user.click(screen.getByTestId('sso-button'));
    expect(start).toHaveBeenLastCalledWith('ana@demo.test');
    // Another address hides the offer until its own domain is known.
    await user.type(screen.getByLabelText('Email'), 'x');
    expect(screen.queryByTestId('sso-button')).toBeNull();
  });

  it('desktop: "Sign in with SSO" is always offered (no call before sign-in); main’s answer signs in', async () => {
    const start = vi.fn().mockResolvedValue(ana);
    const onSignedIn = vi.fn();
    render(<SignInPage backend={{ signIn: vi.fn(), finishSignIn: vi.fn() }} reason={null} onSignedIn={onSignedIn} sso={{ start }} />);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('sso-button'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('Enter your email');
    expect(start).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    await user.click(screen.getByTestId('sso-button'));
    expect(start).toHaveBeenCalledWith('ana@demo.test');
    expect(onSignedIn).toHaveBeenCalledWith(ana);
  });

  it('passkeys: "Use a passkey" finishes the second step; "Sign in with a passkey" signs in alone (a refused passkey says so)', async () => {
    const signIn = vi.fn().mockResolvedValue({ status: 'second-step', methods: ['passkey'], enrolRequired: false });
    const finishSignInWithPasskey = vi.fn().mockResolvedValueOnce(ana);
    const signInWithPasskey = vi.fn().mockRejectedValueOnce(new ApiError(403, 'passkey_invalid', 'no')).mockResolvedValueOnce(ana);
    const onSignedIn = vi.fn();
    const { unmount } = render(<SignInPage backend={{ signIn, finishSignIn: vi.fn(), finishSignInWithPasskey, signInWithPasskey }} reason={null} onSignedIn={onSignedIn} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('That passkey was not accepted');
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    expect(onSignedIn).toHaveBeenLastCalledWith(ana);
    unmount();

    render(<SignInPage backend={{ signIn, finishSignIn: vi.fn(), finishSignInWithPasskey, signInWithPasskey }} reason={null} onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.click(await screen.findByRole('button', { name: 'Use a passkey' }));
    expect(finishSignInWithPasskey).toHaveBeenCalledTimes(1);
    // Only a passkey: no code field to type into.
    expect(screen.queryByLabelText('Authenticator code')).toBeNull();
  });

  it('web page served at an IP address: no "Sign in with a passkey" (the browser would refuse it), the code for the second step; at a name it is offered', async () => {
    const signIn = vi.fn().mockResolvedValue({ status: 'second-step', methods: ['totp', 'passkey'], enrolRequired: false });
    const backend = { signIn, finishSignIn: vi.fn(), signInWithPasskey: vi.fn(), finishSignInWithPasskey: vi.fn() };
    vi.stubGlobal('location', new URL('http://127.0.0.1:4000/'));
    try {
      const { unmount } = render(<SignInPage backend={backend} reason={null} onSignedIn={vi.fn()} />);
      expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
      const user = userEvent.setup();
      await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
      await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
      await user.click(screen.getByRole('button', { name: 'Sign in' }));
      expect(await screen.findByLabelText('Authenticator code')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Use a passkey' })).toBeNull();
      unmount();
      vi.stubGlobal('location', new URL('http://localhost:4000/'));
      render(<SignInPage backend={backend} reason={null} onSignedIn={vi.fn()} />);
      expect(screen.getByRole('button', { name: 'Sign in with a passkey' })).toBeInTheDocument();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('desktop: while the passkey is asked for in the system browser, the page says to finish there', async () => {
    let finish: (user: typeof ana) => void = () => undefined;
    const signInWithPasskey = vi.fn(() => new Promise<typeof ana>((resolve) => (finish = resolve)));
    const onSignedIn = vi.fn();
    render(<SignInPage backend={{ signIn: vi.fn(), finishSignIn: vi.fn(), signInWithPasskey, finishSignInWithPasskey: vi.fn() }} reason={null} onSignedIn={onSignedIn} inSystemBrowser />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    expect(await screen.findByText('Finish in your browser…')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
    finish(ana);
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(ana));
  });

  it('desktop: Cancel while the browser sign-in runs stops main’s wait, with no error shown; a refusal from the browser is shown', async () => {
    let fail: (error: unknown) => void = () => undefined;
    const signInWithPasskey = vi.fn(() => new Promise<typeof ana>((_, reject) => (fail = reject)));
    const cancelBrowserSignIn = vi.fn(async () => fail(new ApiError(409, 'conflict', 'The sign-in was cancelled.')));
    render(<SignInPage backend={{ signIn: vi.fn(), finishSignIn: vi.fn(), signInWithPasskey, cancelBrowserSignIn }} reason={null} onSignedIn={vi.fn()} inSystemBrowser />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    await user.click(await screen.findByTestId('cancel-browser-sign-in'));
    expect(cancelBrowserSignIn).toHaveBeenCalledTimes(1);
    expect(await screen.findByRole('button', { name: 'Sign in with a passkey' })).toBeInTheDocument();
    expect(screen.queryByTestId('sign-in-error')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign in with a passkey' }));
    fail(new ApiError(409, 'conflict', 'The passkey sign-in was cancelled in your browser.'));
    expect(await screen.findByTestId('sign-in-error')).toHaveTextContent('cancelled in your browser');
  });

  it('a client without passkeys shows no passkey buttons and says where a passkey-only member can sign in', async () => {
    const signIn = vi.fn().mockResolvedValue({ status: 'second-step', methods: ['passkey'], enrolRequired: false });
    render(<SignInPage backend={{ signIn, finishSignIn: vi.fn() }} reason={null} onSignedIn={vi.fn()} />);
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Your second factor is a passkey, which this app cannot use yet.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Authenticator code')).toBeNull();
  });

  it('desktop at an IP address: says up front that passkeys cannot work there and offers none; a host name brings them back, saved before the passkey sign-in', async () => {
    const calls: string[] = [];
    const setServerUrl = vi.fn(async (url: string) => void calls.push(`setServerUrl ${url}`));
    const signInWithPasskey = vi.fn(async () => (calls.push('signInWithPasskey'), ana));
    const backend = { signIn: vi.fn(), finishSignIn: vi.fn(), signInWithPasskey, finishSignInWithPasskey: vi.fn(), serverUrl: async () => 'http://127.0.0.1:4000', setServerUrl };
    const onSignedIn = vi.fn();
    render(<SignInPage backend={backend} reason={null} onSignedIn={onSignedIn} inSystemBrowser />);
    expect(await screen.findByTestId('server-passkey-warning')).toHaveTextContent('not an IP address');
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).toBeNull();

    const user = userEvent.setup();
    const field = screen.getByLabelText('Server address');
    await user.clear(field);
    await user.type(field, 'http://localhost:4000');
    expect(screen.queryByTestId('server-passkey-warning')).toBeNull();
    const passkey = screen.getByRole('button', { name: 'Sign in with a passkey' });
    await user.hover(passkey);
    await user.click(passkey);
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(ana));
    expect(calls).toEqual(['setServerUrl http://localhost:4000', 'signInWithPasskey']);
  });

  it('desktop at an IP address: the second step offers the code, not a passkey; a passkey-only member is told why', async () => {
    const signIn = vi.fn().mockResolvedValueOnce({ status: 'second-step', methods: ['totp', 'passkey'], enrolRequired: false }).mockResolvedValueOnce({ status: 'second-step', methods: ['passkey'], enrolRequired: false });
    const backend = { signIn, finishSignIn: vi.fn(), signInWithPasskey: vi.fn(), finishSignInWithPasskey: vi.fn(), serverUrl: async () => 'https://10.0.0.5', setServerUrl: vi.fn() };
    render(<SignInPage backend={backend} reason={null} onSignedIn={vi.fn()} inSystemBrowser />);
    await screen.findByTestId('server-passkey-warning');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ana@demo.test');
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByLabelText('Authenticator code')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Use a passkey' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await user.type(screen.getByLabelText('Password', { selector: 'input' }), 'demo-pass-2026');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Your second factor is a passkey, which cannot work with this server address.')).toBeInTheDocument();
    expect(screen.getByText(/not an IP address/, { selector: '.cds--inline-notification__subtitle' })).toBeInTheDocument();
  });
});
