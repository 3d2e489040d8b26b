import type { Clock } from '../platform/clock.js';
import type { TabStore } from '../store/types.js';
import type { SessionService } from '../sessions/session-service.js';
import type { Authenticator } from '../sessions/authenticator.js';
import type { EventHub } from '../events/event-hub.js';
import type { EntryService } from '../time/entry-service.js';
import type { BillingService } from '../time/billing-service.js';
import type { TimesheetService } from '../time/timesheet-service.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { SessionSecrets } from '../sessions/session-secrets.js';
import type { Reauthenticator } from '../sessions/reauth.js';
import type { ApiTokenService } from '../sessions/api-token-service.js';
import type { Locator } from '../geoip/locator.js';
import type { MemberService } from '../members/member-service.js';
import type { ProfileService } from '../members/profile-service.js';
import type { WorkspaceService } from '../workspace/workspace-service.js';
import type { AuditService } from '../audit/audit-service.js';
import type { TwoFactorService } from '../mfa/two-factor-service.js';
import type { LoginChallenges } from '../mfa/login-challenges.js';
import type { PasskeyService } from '../mfa/passkeys.js';
import type { PasskeySignIn } from '../mfa/passkey-sign-in.js';
import type { SsoSignIn } from '../sso/sso-sign-in.js';
import type { SsoSettingsService } from '../sso/sso-settings.js';

/** What route plugins are given: the services, never a database handle. */
export interface RouteDeps {
  store: TabStore;
  clock: Clock;
  sessions: SessionService;
  authenticator: Authenticator;
  hub: EventHub;
  secrets: SessionSecrets;
  reauth: Reauthenticator;
  twoFactor: TwoFactorService;
  challenges: LoginChallenges;
  passkeys: PasskeyService;
  passkeySignIn: PasskeySignIn;
  apiTokens: ApiTokenService;
  entries: EntryService;
  billing: BillingService;
  timesheets: TimesheetService;
  members: MemberService;
  profiles: ProfileService;
  workspaces: WorkspaceService;
  audits: AuditService;
  sso: SsoSignIn;
  ssoSettings: SsoSettingsService;
  passwords: PasswordHasher;
  secureCookies: boolean;
  /** Where addresses are (and which database says so, for /about). */
  locator: Locator;
}
