import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../shared/api/common.js';
import { Session } from '../shared/api/sessions.js';
import { User } from '../shared/api/auth.js';
import { ApiToken } from '../shared/api/api-tokens.js';
import { AuditEvent, Member, SessionPolicy } from '../shared/api/admin.js';
import { Client, TimeEntry } from '../shared/api/time.js';
import { WorkspaceSettings } from '../shared/api/workspace.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { TabStore } from './store/types.js';
import { JwtService } from './security/jwt.js';
import { InProcessEventHub, type EventHub } from './events/event-hub.js';
import { Authenticator } from './sessions/authenticator.js';
import { SessionService } from './sessions/session-service.js';
import { AttemptThrottle } from './sessions/attempt-throttle.js';
import { Reauthenticator } from './sessions/reauth.js';
import { ACCESS_TOKEN_TTL_MS, SessionSecrets } from './sessions/session-secrets.js';
import { OidcClients } from './sso/oidc-client.js';
import { SsoSignIn } from './sso/sso-sign-in.js';
import { SsoSettingsService } from './sso/sso-settings.js';
import { ssoRoutes } from './routes/sso.js';
import { CookieRotation } from './sessions/cookie-rotation.js';
import { ApiTokenService } from './sessions/api-token-service.js';
import { SessionWhereabouts } from './sessions/session-whereabouts.js';
import { GeoIpLocator, type Locator } from './geoip/locator.js';
import { openDefaultGeoIpDatabase } from './geoip/geoip-database.js';
import { EntryService } from './time/entry-service.js';
import { MemberService } from './members/member-service.js';
import { ProfileService } from './members/profile-service.js';
import { showOnceToAdmin, type LinkSender } from './members/link-sender.js';
import { WorkspaceService } from './workspace/workspace-service.js';
import { AuditService } from './audit/audit-service.js';
import { BillingService } from './time/billing-service.js';
import { BillingSetupService } from './billing/billing-setup-service.js';
import { WeekGridService } from './time/week-grid-service.js';
import { BillableTimeService } from './billing/billable-time.js';
import { billingSetupRoutes } from './routes/billing-setup.js';
import { InvoiceService } from './billing/invoice-service.js';
import { WipService } from './billing/wip-service.js';
import { SummaryService } from './billing/summary-service.js';
import { TimesheetService } from './time/timesheet-service.js';
import { PasswordHasher, type PasswordHasherOptions } from './security/password-hasher.js';
import { SecretSealer } from './security/sealed-secret.js';
import { derivedMfaKey } from './security/mfa-key.js';
import { SecondFactor } from './mfa/second-factor.js';
import { TwoFactorService } from './mfa/two-factor-service.js';
import { TwoFactorReset } from './mfa/two-factor-reset.js';
import { MemberPasskeys } from './mfa/member-passkeys.js';
import { LoginChallenges } from './mfa/login-challenges.js';
import { registerErrorHandling } from './http/error-handler.js';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js';
import { registerAuthentication } from './http/authenticate.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { closeUnusedConnectionsOnClose } from './http/close-unused-connections.js';
import { registerValidation } from './http/validation.js';
import type { RouteDeps } from './routes/context.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { meRoutes } from './routes/me.js';
import { mfaRoutes } from './routes/mfa.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { desktopPasskeyRoutes } from './routes/desktop-passkey.js';
import { DesktopPasskeySignIn } from './mfa/desktop-passkey.js';
import { PasskeyService } from './mfa/passkeys.js';
import { PasskeySignIn } from './mfa/passkey-sign-in.js';
import { sessionRoutes } from './routes/sessions.js';
import { apiTokenRoutes } from './routes/api-tokens.js';
import { adminRoutes } from './routes/admin.js';
import { eventRoutes } from './routes/events.js';
import { registerWebClient } from './routes/web-client.js';
import { invoiceRoutes } from './routes/invoices.js';
import { clientRoutes } from './routes/clients.js';
import { entryRoutes } from './routes/entries.js';
import { reportRoutes } from './routes/reports.js';
import { aboutRoutes } from './routes/about.js';
import { memberRoutes } from './routes/members.js';
import { workspaceRoutes } from './routes/workspace.js';
import { timesheetRoutes } from './routes/timesheets.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Headers and cookies that carry secrets: never in a log line. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export interface AppOptions {
  store: TabStore;
  jwtSecret: Uint8Array;
  clock?: Clock;
  hub?: EventHub;
  /** Adds `Secure` to the session cookie (on behind TLS, or with --secure-cookies). */
  secureCookies?: boolean;
  /** Folder of the built renderer, served at `/`. */
  webRoot?: string;
  logger?: FastifyServerOptions['logger'];
  /** TLS key and certificate: the server then speaks HTTPS and the cookie is `Secure`. */
  https?: { key: Buffer; cert: Buffer };
  /**
   * Reverse proxies (addresses, CIDR ranges, `loopback`…) whose
   * `X-Forwarded-For` / `-Proto` / `-Host` are believed. Without it those
   * headers are ignored: the client is the socket's peer.
   */
  trustProxy?: string[];
  /** The password-hashing pool's size and queue bound (defaults: the cores, 32 waiting per core). */
  passwordHashing?: PasswordHasherOptions;
  /**
   * Where addresses are: by default the shipped DB-IP Lite City database
   * (server/geoip/), `--geoip-db <file.mmdb>` a firm's own; NO_LOCATIONS for none.
   */
  locator?: Locator;
  /**
   * The key that seals authenticator secrets at rest (32 bytes; server/security/mfa-key.ts loads the
   * server's). Without one (benches, in-process tools) a key is derived from the JWT key.
   */
  mfaKey?: Uint8Array;
  /** How invitation and password-reset links reach members (default: shown once to the admin; no e-mail). */
  linkSender?: LinkSender;
}

/** One route as registered: what it lets in, and the scope an API token needs. */
export interface RouteSummary {
  method: string;
  url: string;
  auth?: string;
  scope?: string;
}

export interface TabApp {
  app: FastifyInstance;
  hub: EventHub;
  deps: RouteDeps;
  /** Every route, as registered (for the scope and auth checks in tests, and the docs). */
  routes: RouteSummary[];
}

export async function buildApp(options: AppOptions): Promise<TabApp> {
  const clock = options.clock ?? systemClock;
  const hub = options.hub ?? new InProcessEventHub();
  const jwt = new JwtService(options.jwtSecret, ACCESS_TOKEN_TTL_MS);
  const store = options.store;
  const passwords = new PasswordHasher(options.passwordHashing);
  const throttle = new AttemptThrottle({ store, clock });
  const sealer = new SecretSealer(options.mfaKey ?? derivedMfaKey(options.jwtSecret));
  const secondFactor = new SecondFactor({ store, clock, sealer });
  const reauth = new Reauthenticator({ store, clock, passwords, throttle, secondFactor });
  const secrets = new SessionSecrets(jwt, options.jwtSecret);
  const locator = options.locator ?? new GeoIpLocator(await openDefaultGeoIpDatabase());
  const sessions = new SessionService({ store, clock, hub, passwords, throttle, secrets, locator });
  const twoFactor = new TwoFactorService({ store, clock, sealer, secondFactor, reauth });
  const passkeys = new PasskeyService({ store, clock, reauth, hub });
  const challenges = new LoginChallenges({ store, clock, throttle, secondFactor, twoFactor, sessions, passkeys });
  const passkeySignIn = new PasskeySignIn({ passkeys, sessions, reauth });
  const desktopPasskey = new DesktopPasskeySignIn({ store, clock, passkeys, challenges, sessions });
  sessions.useSecondStep((user, device, via) => challenges.challengeFor(user, device, via));
  const cookies = new CookieRotation({ store, clock, secrets, sessions });
  const whereabouts = new SessionWhereabouts({ store, hub, locator, announce: (revoked, reason) => sessions.announce(revoked, reason) });
  const authenticator = new Authenticator({ store, clock, jwt, hub, cookies, whereabouts });
  const oidcClients = new OidcClients(clock);
  const deps: RouteDeps = {
    store,
    clock,
    hub,
    authenticator,
    sessions,
    secrets,
    reauth,
    twoFactor,
    twoFactorReset: new TwoFactorReset({ store, clock, reauth, sessions, secondFactor }),
    memberPasskeys: new MemberPasskeys({ store, clock, reauth, hub }),
    challenges,
    passkeys,
    passkeySignIn,
    desktopPasskey,
    apiTokens: new ApiTokenService({ store, clock, reauth }),
    entries: new EntryService({ store, clock, hub }),
    billing: new BillingService({ store, clock, hub }),
    billingSetup: new BillingSetupService({ store, clock }),
    weekGrid: new WeekGridService({ store, clock }),
    billableTime: new BillableTimeService({ store }),
    invoices: new InvoiceService({ store, clock, hub }),
    wip: new WipService({ store, clock }),
    summary: new SummaryService({ store }),
    timesheets: new TimesheetService({ store, clock, hub }),
    members: new MemberService({ store, clock, hub, sessions, passwords, sender: options.linkSender ?? showOnceToAdmin }),
    profiles: new ProfileService({ store, clock, hub }),
    workspaces: new WorkspaceService({ store, clock }),
    audits: new AuditService({ store }),
    sso: new SsoSignIn({ store, clock, sessions, reauth, passwords, clients: oidcClients, sealer }),
    ssoSettings: new SsoSettingsService({ store, clock, clients: oidcClients, sealer }),
    passwords,
    secureCookies: options.secureCookies ?? Boolean(options.https),
    locator,
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    ...((options.https ? { https: options.https } : {}) as object),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Request ids are not secrets, and a reused one from a client must not be trusted.
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
    // A request (line, headers, body of at most 64 KiB) has 30 s to arrive; a
    // client that trickles bytes to hold a connection gets 408. Event streams
    // are not affected: their request is complete at once.
    requestTimeout: REQUEST_TIMEOUT_MS,
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy : false,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  registerValidation(app);
  registerErrorHandling(app);
  registerSecurityHeaders(app);
  closeUnusedConnectionsOnClose(app, Boolean(options.https));
  await app.register(fastifyCookie);
  for (const schema of [ErrorResponse, Session, User, ApiToken, Member, SessionPolicy, AuditEvent, Client, TimeEntry, WorkspaceSettings]) app.addSchema(schema);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'TAB API', version: '1', description: 'Time and billing for accounting firms: sessions, admin and (later) time entries.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or tab_pat_ API token' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'tab_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerAuthentication(app, authenticator, { secureCookies: deps.secureCookies });
  const routes: RouteSummary[] = [];
  app.addHook('onRoute', (route) => {
    const config = route.config as { auth?: string; scope?: string } | undefined;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, auth: config?.auth, scope: config?.scope });
  });

  await app.register(healthRoutes);
  app.get('/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(
    async (api) => {
      for (const routes of [authRoutes, mfaRoutes, passkeyRoutes, desktopPasskeyRoutes, ssoRoutes, meRoutes, sessionRoutes, apiTokenRoutes, adminRoutes, memberRoutes, workspaceRoutes, eventRoutes, clientRoutes, billingSetupRoutes, entryRoutes, timesheetRoutes, reportRoutes, invoiceRoutes, aboutRoutes]) {
        await api.register(routes(deps));
      }
    },
    { prefix: '/api/v1' },
  );
  await registerWebClient(app, options.webRoot);
  return { app, hub, deps, routes };
}
