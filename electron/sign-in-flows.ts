import { ApiError } from '../shared/api/client.js';
import { passkeysUnavailableAt } from '../shared/api/passkeys.js';
import type { LoginResponse } from '../shared/api/auth.js';
import type { TotpEnrolment } from '../shared/api/mfa.js';
import type { DesktopAuthState, EnrolledView, PasskeySignInArgs, SecondStepView, SignInArgs, SignInCodeArgs, SignedInView } from '../shared/ipc/contract.js';
import type { StoredCredentials } from './credential-store.js';
import type { Logger } from './logger.js';
import type { DesktopLogin, ServerClient } from './server-client.js';
import type { AuthControllerOptions } from './auth-controller-options.js';
import { loopbackSsoSignIn } from './sso-loopback.js';
import { loopbackPasskeySignIn } from './passkey-loopback.js';
import { browserSignIn, deviceLabel, PendingSecondStep } from './sign-in-support.js';

/** What the sign-ins need of the auth controller (./auth-controller.ts), which owns the state and the credentials. */
export interface SignInHost {
  options: Pick<AuthControllerOptions, 'credentials' | 'deviceName' | 'transport' | 'openExternal'>;
  log(): Logger;
  /** Waits for the restore, signs a signed-in app out, saves the server address: the server to sign in to. */
  prepare(): Promise<string>;
  serverUrl(): string | null;
  /** A new sign-in (or sign-out) epoch: late answers of an older one are ignored. */
  nextEpoch(): number;
  isCurrent(epoch: number): boolean;
  setState(state: DesktopAuthState): void;
  clientFor(serverUrl: string): ServerClient;
  /** The credentials are in the keychain: the app is signed in. */
  signedInWith(serverUrl: string, creds: StoredCredentials, response: LoginResponse): void;
}

const cancelled = () => new ApiError(409, 'conflict', 'The sign-in was cancelled.');

/** WebAuthn needs a host name: at an IP address the browser would refuse the ceremony, so nothing opens (400). */
function refusePasskeysAt(serverUrl: string | null): void {
  const problem = serverUrl === null ? null : passkeysUnavailableAt(serverUrl);
  if (problem) throw new ApiError(400, 'invalid_request', problem);
}

/**
 * The desktop's sign-ins, in main: the password step and its second step
 * (an authenticator code, or a passkey), the enrolment a workspace's policy
 * requires at sign-in (TOTP, in the app's own sign-in page), single sign-on
 * and passkeys through the system browser (RFC 8252; ./loopback.ts). The
 * 202's challenge stays here (PendingSecondStep), never in the renderer.
 * Each one answers SignedInView (the credentials go to the keychain first)
 * or throws ApiError, having set the state back to signed-out.
 */
export class SignInFlows {
  private readonly pending = new PendingSecondStep();
  /** The sign-in waiting in the system browser, if any: a new sign-in or the app's Cancel stops its wait. */
  private browserWait: AbortController | null = null;

  constructor(private readonly host: SignInHost) {}

  async signIn(args: SignInArgs): Promise<SignedInView | SecondStepView> {
    const { serverUrl, epoch } = await this.begin();
    return this.complete(serverUrl, epoch, async () => {
      const answer = await this.host.clientFor(serverUrl).login(args.email.trim(), args.password, this.device);
      if (!('challenge' in answer)) return answer;
      // Two-factor: main keeps the challenge (the renderer never holds a sign-in secret) until the code comes.
      if (!this.host.isCurrent(epoch)) throw cancelled();
      this.pending.keep(serverUrl, answer.challenge.challenge);
      return { secondStep: { methods: answer.challenge.methods, enrolRequired: answer.challenge.enrolRequired } };
    });
  }

  /** The second step of the pending sign-in: the code the person typed, sent with the challenge main kept. */
  async signInCode(args: SignInCodeArgs): Promise<SignedInView> {
    const { serverUrl, epoch, challenge } = this.beginSecondStep();
    const result = await this.complete(serverUrl, epoch, () => this.host.clientFor(serverUrl).loginMfa(challenge, args.code.trim()));
    this.pending.clear();
    return result as SignedInView;
  }

  /**
   * Single sign-on through the system browser and a loopback redirect
   * (./sso-loopback.ts); the session then lives exactly like a password one.
   * The firm's identity provider does its own second factor: no TAB challenge.
   */
  async signInWithSso(args: { email: string }): Promise<SignedInView> {
    this.browser('', 'single sign-on');
    const { serverUrl, epoch } = await this.begin();
    return (await this.complete(serverUrl, epoch, () =>
      loopbackSsoSignIn({ ...this.browser(serverUrl, 'single sign-on'), email: args.email.trim(), deviceName: this.device }),
    )) as SignedInView;
  }

  /**
   * A passkey through the system browser (./passkey-loopback.ts): the whole
   * sign-in (`passwordless`), or the pending sign-in's second step (`second`,
   * with main's challenge; the passkey must be that member's). A failed or
   * cancelled second step keeps the challenge, so the code still works.
   */
  async signInWithPasskey(args: PasskeySignInArgs): Promise<SignedInView> {
    this.browser('', 'passkeys');
    // The sign-in page hides the button at an IP address; main holds the rule too (a renderer may ask anyway).
    refusePasskeysAt(this.host.serverUrl());
    if (args.step === 'second') {
      const { serverUrl, epoch, challenge } = this.beginSecondStep();
      const result = await this.complete(serverUrl, epoch, () => loopbackPasskeySignIn({ ...this.browser(serverUrl, 'passkeys'), deviceName: this.device, challenge }));
      this.pending.clear();
      return result as SignedInView;
    }
    const { serverUrl, epoch } = await this.begin(refusePasskeysAt);
    return (await this.complete(serverUrl, epoch, () => loopbackPasskeySignIn({ ...this.browser(serverUrl, 'passkeys'), deviceName: this.device }))) as SignedInView;
  }

  /**
   * The workspace requires two-factor and the pending member has none: the
   * authenticator secret and QR code to scan, as the web shows them (nothing
   * signs in yet). A passkey is added later on the web Profile page: the
   * enrolment a policy asks for at sign-in is the authenticator app, on the
   * web as here.
   */
  async signInEnrolStart(): Promise<TotpEnrolment> {
    const serverUrl = this.host.serverUrl();
    const challenge = this.pending.challengeFor(serverUrl);
    return this.host.clientFor(serverUrl!).loginEnrol(challenge);
  }

  /** Its first code: two-factor turns on and the app signs in; the recovery codes go to the renderer once, to show. */
  async signInEnrolConfirm(args: SignInCodeArgs): Promise<EnrolledView> {
    const { serverUrl, epoch, challenge } = this.beginSecondStep();
    let recoveryCodes: string[] = [];
    const result = await this.complete(serverUrl, epoch, async () => {
      const login = await this.host.clientFor(serverUrl).loginEnrolConfirm(challenge, args.code.trim());
      recoveryCodes = login.recoveryCodes;
      return login;
    });
    this.pending.clear();
    return { ...(result as SignedInView), recoveryCodes };
  }

  /** The person gave up in the app (closed the browser tab, changed their mind): the waiting sign-in ends as cancelled. */
  cancelBrowserSignIn(): null {
    this.browserWait?.abort();
    this.browserWait = null;
    return null;
  }

  private get device(): string {
    return deviceLabel(this.host.options.deviceName);
  }

  private browser(serverUrl: string, what: string) {
    const options = browserSignIn(serverUrl, this.host.options, what);
    this.browserWait?.abort();
    this.browserWait = new AbortController();
    return { ...options, signal: this.browserWait.signal };
  }

  /** A first step: the server, a new epoch, no pending second step, "signing in". */
  private async begin(check?: (serverUrl: string) => void): Promise<{ serverUrl: string; epoch: number }> {
    const serverUrl = await this.host.prepare();
    // The address is certain only now (the restore may have been running): refuse before "signing in".
    check?.(serverUrl);
    const epoch = this.host.nextEpoch();
    this.cancelBrowserSignIn();
    this.pending.clear();
    this.host.setState({ status: 'signing-in', serverUrl });
    return { serverUrl, epoch };
  }

  /** A second step: the pending sign-in's challenge (or 410), a new epoch, "signing in". */
  private beginSecondStep(): { serverUrl: string; epoch: number; challenge: string } {
    const serverUrl = this.host.serverUrl();
    const challenge = this.pending.challengeFor(serverUrl);
    const epoch = this.host.nextEpoch();
    this.cancelBrowserSignIn();
    this.host.setState({ status: 'signing-in', serverUrl: serverUrl! });
    return { serverUrl: serverUrl!, epoch, challenge };
  }

  /** Runs a sign-in call; a 200 answer's credentials go to the keychain and the app is signed in. */
  private async complete(serverUrl: string, epoch: number, call: () => Promise<DesktopLogin | SecondStepView>): Promise<SignedInView | SecondStepView> {
    const { host } = this;
    try {
      const answer = await call();
      if ('secondStep' in answer) {
        host.setState({ status: 'signed-out', serverUrl, reason: null });
        return answer;
      }
      const { response, cookie } = answer;
      if (!host.isCurrent(epoch)) throw cancelled();
      const creds = { jwt: response.token, cookie };
      await host.options.credentials.save(serverUrl, creds);
      if (!host.isCurrent(epoch)) throw cancelled();
      host.log().log('info', 'signed in', { userId: response.user.id, sessionId: response.session.id, storage: host.options.credentials.storage });
      host.signedInWith(serverUrl, creds, response);
      return { user: response.user, session: response.session };
    } catch (error) {
      if (host.isCurrent(epoch)) host.setState({ status: 'signed-out', serverUrl, reason: null });
      host.log().log('info', 'sign-in failed', { status: error instanceof ApiError ? error.status : 0, code: error instanceof ApiError ? error.code : 'unknown' });
      throw error;
    }
  }
}
