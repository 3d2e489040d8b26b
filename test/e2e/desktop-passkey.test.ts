import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestDesktop, memoryKeytar } from '../electron/support/desktop.js';
import { WEB_ROOT, expectNoSeriousA11yViolations, launchChromium, openDevice, screenshot, signInThroughUi, skipReason } from './support/browser.js';

const SUITE = 'desktop passkey sign-in: main’s loopback, the ceremony in the system browser (Chromium virtual authenticator)';

/**
 * Issue #15 item 3 end to end: the desktop's main process (the real
 * AuthController, in Node) opens TAB's /desktop/passkey page in the "system
 * browser" — Chromium with a virtual platform authenticator (DevTools
 * protocol, WebAuthn domain), as in test/e2e/passkeys.test.ts — which runs
 * the ceremony and goes to main's loopback listener; main exchanges the
 * code. WebAuthn needs a domain, so the server is addressed as localhost.
 */
describe.skipIf(skipReason(SUITE) !== null)(SUITE, { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ webRoot: WEB_ROOT }), launchChromium()]);
    origin = server.url.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function methodOf(sessionId: string): Promise<unknown> {
    const workspaceId = (await server.store.findUserByEmail('ana@demo.test'))!.workspaceId;
    return (await server.store.listAudit(workspaceId, { type: 'sign_in', limit: 20 })).find((e) => e.sessionId === sessionId)?.detail.method;
  }

  it('passwordless and as the second step; a failed prompt shows Try again / Cancel, and Cancel ends the app’s wait', async () => {
    const { page, context } = await openDevice(browser, origin);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    // Ana adds a passkey on the web Profile page (the browser's platform authenticator).
    await signInThroughUi(page, 'ana@demo.test');
    await page.goto('/profile');
    const section = page.getByTestId('passkeys-section');
    await section.getByTestId('add-passkey').click();
    await section.getByLabel('Name').fill('This Mac');
    await section.getByRole('button', { name: 'Continue' }).click();
    await section.getByText('Passkey “This Mac” added').waitFor();

    // The system browser is this Chromium page: main hands it TAB's page, as shell.openExternal would.
    const opened: string[] = [];
    const systemBrowser = async (url: string) => {
      opened.push(url);
      await page.goto(url);
    };
    const desktop = createTestDesktop({ serverUrl: origin, keytar: memoryKeytar(), openExternal: systemBrowser });
    await desktop.controller.start();
    const view = await desktop.controller.signInWithPasskey({ step: 'passwordless' });
    expect(view.user.email).toBe('ana@demo.test');
    expect(view.session.clientKind).toBe('desktop');
    expect(await methodOf(view.session.id)).toBe('passkey');
    expect(new URL(opened[0]!).pathname).toBe('/desktop/passkey');
    // The browser ended on the app's loopback page, and holds no TAB desktop session (nor the hand-off in its address).
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    await desktop.controller.signOut();

    // The second step after the password: the same page, for the pending sign-in.
    expect(await desktop.controller.signIn({ email: 'ana@demo.test', password: 'demo-pass-2026' })).toMatchObject({ secondStep: { methods: ['passkey'] } });
    const second = await desktop.controller.signInWithPasskey({ step: 'second' });
    expect(await methodOf(second.session.id)).toBe('password+passkey');
    await desktop.controller.signOut();

    // The authenticator cannot verify the user: the page says so and offers Try again / Cancel.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const waiting = desktop.controller.signInWithPasskey({ step: 'passwordless' });
    const failed = waiting.catch((error: unknown) => error);
    await page.getByTestId('desktop-passkey-error').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await screenshot(page, 'desktop-passkey-page-1280');
    await page.setViewportSize({ width: 400, height: 900 });
    await screenshot(page, 'desktop-passkey-page-400');
    await page.setViewportSize({ width: 1280, height: 900 });
    await expectNoSeriousA11yViolations(page);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await failed).toMatchObject({ code: 'conflict', message: 'The passkey sign-in was cancelled in your browser.' });
    await page.getByRole('heading', { name: 'Not signed in' }).waitFor();
    expect(desktop.controller.current.status).toBe('signed-out');
    await context.close();
  });
});
