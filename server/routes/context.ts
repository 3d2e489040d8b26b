import type { Clock } from '../platform/clock.js';
import type { TabStore } from '../store/types.js';
import type { SessionService } from '../sessions/session-service.js';
import type { Authenticator } from '../sessions/authenticator.js';
import type { EventHub } from '../events/event-hub.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { SessionSecrets } from '../sessions/session-secrets.js';
import type { Reauthenticator } from '../sessions/reauth.js';
import type { ApiTokenService } from '../sessions/api-token-service.js';

/** What route plugins are given: the services, never a database handle. */
export interface RouteDeps {
  store: TabStore;
  clock: Clock;
  sessions: SessionService;
  authenticator: Authenticator;
  hub: EventHub;
  secrets: SessionSecrets;
  reauth: Reauthenticator;
  apiTokens: ApiTokenService;
  passwords: PasswordHasher;
  secureCookies: boolean;
}
