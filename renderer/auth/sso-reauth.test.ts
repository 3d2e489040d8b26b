import { afterEach, describe, expect, it, vi } from 'vitest';
import { confirmWithSso, handOffSsoReauth, SsoReauthCancelled } from './sso-reauth.js';

function fakePopup() {
  const popup = { closed: false, location: { href: '' }, close: vi.fn(() => void (popup.closed = true)) };
  vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  return popup;
}

const api = () => ({
  ssoReauthStart: vi.fn(async () => ({ authorizationUrl: 'https://idp.test/authorize?client_id=tab&state=state-1&max_age=0' })),
  ssoReauthComplete: vi.fn(async () => ({ grant: 'sso-grant', expiresAt: '2026-12-02T10:00:00.000Z' })),
});

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('SSO re-check pop-up', () => {
  it('the callback page of the pop-up hands the code to the waiting tab, which trades it for a grant; the pop-up closes', async () => {
    const popup = fakePopup();
    const calls = api();
    const result = confirmWithSso(calls);
    await until(() => popup.location.href !== '');
    expect(popup.location.href).toContain('state=state-1');
    // Another state (a sign-in, or another tab's re-check) is not this one's.
    expect(handOffSsoReauth(new URLSearchParams('code=c&state=other'))).toBe(false);
    expect(handOffSsoReauth(new URLSearchParams('code=the-code&state=state-1&iss=https%3A%2F%2Fidp.test'))).toBe(true);
    await expect(result).resolves.toBe('sso-grant');
    expect(calls.ssoReauthComplete).toHaveBeenCalledWith({ code: 'the-code', state: 'state-1', iss: 'https://idp.test' });
    expect(popup.close).toHaveBeenCalled();
    // Spent: the same state is a sign-in's business now (nothing waits for it).
    expect(handOffSsoReauth(new URLSearchParams('code=c&state=state-1'))).toBe(false);
  });

  it('the provider’s refusal is an error; a pop-up closed by the person is a cancel; a blocked pop-up says so', async () => {
    let popup = fakePopup();
    let calls = api();
    const refused = confirmWithSso(calls);
    await until(() => popup.location.href !== '');
    handOffSsoReauth(new URLSearchParams('error=access_denied&state=state-1'));
    await expect(refused).rejects.toThrow('The re-check was cancelled at your identity provider.');
    expect(calls.ssoReauthComplete).not.toHaveBeenCalled();

    popup = fakePopup();
    calls = api();
    const closed = confirmWithSso(calls);
    await until(() => popup.location.href !== '');
    popup.closed = true;
    await expect(closed).rejects.toBeInstanceOf(SsoReauthCancelled);

    vi.spyOn(window, 'open').mockReturnValue(null);
    await expect(confirmWithSso(api())).rejects.toThrow(/blocked the sign-in window/);
  });
});
