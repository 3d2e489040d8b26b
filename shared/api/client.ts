import type {
  Activity,
  ActivityList,
  CreateActivityRequest,
  CreateMatterRequest,
  Matter,
  MatterList,
  MatterQuery,
  RateList,
  SetRateRequest,
  SetRateResponse,
  UpdateActivityRequest,
  UpdateMatterRequest,
} from './billing.js';
import type { WeekGrid } from './week-grid.js';
import type { CreateDraftRequest, Invoice, InvoiceList, UpdateDraftRequest, WipReport } from './invoices.js';
import type { TimesheetWeek, UnbillRequest, UnbillResponse, WeekApproval, WeekQueue } from './timesheets.js';
import type { ApiErrorBody, ErrorCode, SessionEndReason } from '../errors.js';
import { isApiErrorBody, SIGNED_OUT_CODES } from '../errors.js';
import type { LoginRequest, LoginResponse, MeResponse, ChangePasswordRequest, ChangePasswordResponse, RefreshResponse } from './auth.js';
import type { RevokeOthersResponse, SessionList } from './sessions.js';
import type { About } from './about.js';
import type { SsoCompleteRequest, SsoStartResponse } from './sso.js';
import type { AssertionRequest, LoginPasskeyRequest, PasskeyList, PasskeyOptions, PasskeyView, RegisterPasskeyRequest, RemovePasskeyRequest } from './passkeys.js';
import type { RevokedCount } from './common.js';
import type { ApiTokenList, CreateApiTokenRequest, CreatedApiToken } from './api-tokens.js';
import type { AuditExportQuery, AuditPage, AuditQuery, Member, MemberList, RevokeAllRequest, SessionPolicy, SessionPolicyUpdate } from './admin.js';
import type { ChangeRoleRequest, CompleteLinkRequest, CompleteLinkResponse, InvitedMember, InviteMemberRequest, IssuedLink, LinkView } from './members.js';
import type { UpdateWorkspaceSettings, WorkspaceSettings } from './workspace.js';
import {
  MFA_NEEDS_NEWER_CLIENT,
  type DisableTwoFactorRequest,
  type MemberTwoFactor,
  type ReauthOptions,
  type RegenerateRecoveryCodesRequest,
  type ResetMemberTwoFactorRequest,
  type ResetMemberTwoFactorResponse,
  type LoginChallengeResponse,
  type LoginMfaRequest,
  type RecoveryCodes,
  type ReauthGrantResponse,
  type ReauthRequest,
  type StartTotpEnrolmentRequest,
  type TotpEnrolment,
  type TwoFactorPolicyBody,
  type TwoFactorStatus,
} from './mfa.js';
import type {
  Client,
  ClientList,
  CreateClientRequest,
  CreateEntryRequest,
  CsvQuery,
  Dashboard,
  DeleteClientResponse,
  EntryList,
  EntryQuery,
  EntryWriteResponse,
  MarkBilledRequest,
  MarkBilledResponse,
  StartTimerRequest,
  StartTimerResponse,
  StopTimerRequest,
  StopTimerResponse,
  Summary,
  SummaryQuery,
  UpdateClientRequest,
  UpdateEntryRequest,
  UpdateMeRequest,
} from './time.js';

/**
 * The one typed interface to the TAB API. The renderer talks to it through a
 * transport (HTTP with the cookie on the web, the preload bridge on the desktop);
 * Electron's main process uses the HTTP implementation with a Bearer token.
 */
export interface TabApi {
  /**
   * Sign-in for callers that only know the 200 answer (scripts, older
   * paths): a 202 second step throws ApiError `needs_newer_client` with
   * "Two-factor sign-in needs a newer TAB" (MFA_NEEDS_NEWER_CLIENT).
   */
  login(body: LoginRequest): Promise<LoginResponse>;
  /** Sign-in that knows the second step: the 200 answer, or the 202 challenge (`mfaRequired`). */
  signInStep(body: LoginRequest): Promise<LoginResponse | LoginChallengeResponse>;
  /** The second step: the challenge and an authenticator or recovery code. */
  loginMfa(body: LoginMfaRequest): Promise<LoginResponse>;
  /** A sign-in the policy sent to enrol: the secret to scan, then its first code (signs in, answers the recovery codes). */
  loginEnrol(challenge: string): Promise<TotpEnrolment>;
  loginEnrolConfirm(body: LoginMfaRequest): Promise<LoginResponse & RecoveryCodes>;
  /** A re-check grant for this session (5 minutes). */
  reauth(body: ReauthRequest): Promise<ReauthGrantResponse>;
  twoFactorStatus(): Promise<TwoFactorStatus>;
  /** Passkeys (WebAuthn): yours, adding one (options, then the browser's answer), removing one (a re-check). */
  passkeys(): Promise<PasskeyList>;
  passkeyRegistrationOptions(): Promise<PasskeyOptions>;
  registerPasskey(body: RegisterPasskeyRequest): Promise<PasskeyView>;
  removePasskey(id: string, body: RemovePasskeyRequest): Promise<void>;
  /** A sign-in's second step with a passkey; passwordless sign-in; a re-check with a passkey. */
  loginPasskeyOptions(challenge: string): Promise<PasskeyOptions>;
  loginPasskey(body: LoginPasskeyRequest): Promise<LoginResponse>;
  passkeySignInOptions(body: { client?: 'web' | 'desktop'; deviceName?: string }): Promise<PasskeyOptions>;
  passkeySignIn(body: AssertionRequest): Promise<LoginResponse>;
  reauthPasskeyOptions(): Promise<PasskeyOptions>;
  reauthPasskey(body: AssertionRequest): Promise<ReauthGrantResponse>;
  startTotpEnrolment(body: StartTotpEnrolmentRequest): Promise<TotpEnrolment>;
  confirmTotpEnrolment(code: string): Promise<RecoveryCodes>;
  disableTwoFactor(body: DisableTwoFactorRequest): Promise<void>;
  /** Ten new recovery codes (a re-check first); the old ones stop working at once. */
  regenerateRecoveryCodes(body: RegenerateRecoveryCodesRequest): Promise<RecoveryCodes>;
  /** The ways this person can re-check (the shared re-check dialog's choices). */
  reauthOptions(): Promise<ReauthOptions>;
  /** A re-check by single sign-on (`max_age=0`): the provider's address, then its code and state for a grant. */
  ssoReauthStart(): Promise<SsoStartResponse>;
  ssoReauthComplete(body: SsoCompleteRequest): Promise<ReauthGrantResponse>;
  /** A member's two-factor (admins and managers), and the admin's reset of it (lost phone). */
  memberTwoFactor(userId: string): Promise<MemberTwoFactor>;
  resetMemberTwoFactor(userId: string, body: ResetMemberTwoFactorRequest): Promise<ResetMemberTwoFactorResponse>;
  /** A member's passkeys (managers, admins) and an admin's removal of one. */
  memberPasskeys(userId: string): Promise<PasskeyList>;
  removeMemberPasskey(userId: string, id: string, body: RemovePasskeyRequest): Promise<void>;
  getTwoFactorPolicy(): Promise<TwoFactorPolicyBody>;
  putTwoFactorPolicy(body: TwoFactorPolicyBody): Promise<TwoFactorPolicyBody>;
  /** A new access token and a rotated cookie, for the session of the cookie sent (the desktop's main process). */
  refresh(): Promise<RefreshResponse>;
  logout(): Promise<void>;
  me(): Promise<MeResponse>;
  changePassword(body: ChangePasswordRequest): Promise<ChangePasswordResponse>;
  listSessions(): Promise<SessionList>;
  revokeSession(id: string): Promise<void>;
  revokeOtherSessions(): Promise<RevokeOthersResponse>;
  listApiTokens(): Promise<ApiTokenList>;
  createApiToken(body: CreateApiTokenRequest): Promise<CreatedApiToken>;
  revokeApiToken(id: string): Promise<void>;
  listMembers(): Promise<MemberList>;
  inviteMember(body: InviteMemberRequest): Promise<InvitedMember>;
  reissueInvitation(userId: string): Promise<IssuedLink>;
  cancelInvitation(userId: string): Promise<void>;
  changeMemberRole(userId: string, body: ChangeRoleRequest): Promise<Member>;
  issuePasswordReset(userId: string): Promise<IssuedLink>;
  /** Public: whose invitation or reset link this is. */
  lookupLink(token: string): Promise<LinkView>;
  /** Public: set the password through the link, once; signs in (sets the session cookie). */
  completeLink(body: CompleteLinkRequest): Promise<CompleteLinkResponse>;
  getWorkspace(): Promise<WorkspaceSettings>;
  updateWorkspace(body: UpdateWorkspaceSettings): Promise<WorkspaceSettings>;
  listMemberSessions(userId: string): Promise<SessionList>;
  revokeMemberSession(userId: string, sessionId: string): Promise<void>;
  revokeMemberSessions(userId: string): Promise<RevokedCount>;
  listMemberApiTokens(userId: string): Promise<ApiTokenList>;
  revokeMemberApiToken(userId: string, tokenId: string): Promise<void>;
  disableMember(userId: string): Promise<void>;
  enableMember(userId: string): Promise<void>;
  /** With a re-check grant, or the password (and the authenticator code when the admin has two-factor). */
  revokeWorkspaceSessions(body: RevokeAllRequest): Promise<RevokedCount>;
  getSessionPolicy(): Promise<SessionPolicy>;
  putSessionPolicy(policy: SessionPolicyUpdate): Promise<SessionPolicy>;
  listAuditEvents(query: AuditQuery): Promise<AuditPage>;
  updateMe(body: UpdateMeRequest): Promise<MeResponse>;
  listClients(): Promise<ClientList>;
  createClient(body: CreateClientRequest): Promise<Client>;
  updateClient(id: string, body: UpdateClientRequest): Promise<Client>;
  deleteClient(id: string): Promise<DeleteClientResponse>;
  listEntries(query: EntryQuery): Promise<EntryList>;
  /** Idempotent on `body.id`: a retried or replayed write never duplicates. */
  createEntry(body: CreateEntryRequest): Promise<EntryWriteResponse>;
  updateEntry(id: string, body: UpdateEntryRequest): Promise<EntryWriteResponse>;
  deleteEntry(id: string): Promise<void>;
  startTimer(body: StartTimerRequest): Promise<StartTimerResponse>;
  stopTimer(body?: StopTimerRequest): Promise<StopTimerResponse>;
  getDashboard(): Promise<Dashboard>;
  getSummary(query: SummaryQuery): Promise<Summary>;
  markBilled(body: MarkBilledRequest): Promise<MarkBilledResponse>;
  unbill(body: UnbillRequest): Promise<UnbillResponse>;
  /** A member's week (team timesheets): yours, or anyone's for managers and admins. */
  getTimesheetWeek(userId: string, monday: string): Promise<TimesheetWeek>;
  submitWeek(userId: string, monday: string): Promise<WeekApproval>;
  approveWeek(userId: string, monday: string): Promise<WeekApproval>;
  reopenWeek(userId: string, monday: string): Promise<WeekApproval>;
  getWeekQueue(): Promise<WeekQueue>;
  /** Your weekly grid (rows client / matter / activity): the week holding `day` (YYYY-MM-DD) in your zone. */
  getWeekGrid(day: string): Promise<WeekGrid>;
  listMatters(query?: MatterQuery): Promise<MatterList>;
  createMatter(body: CreateMatterRequest): Promise<Matter>;
  updateMatter(id: string, body: UpdateMatterRequest): Promise<Matter>;
  listActivities(): Promise<ActivityList>;
  createActivity(body: CreateActivityRequest): Promise<Activity>;
  updateActivity(id: string, body: UpdateActivityRequest): Promise<Activity>;
  /** A client's rates, or without one the members' defaults (managers and admins). */
  listRates(clientId?: string): Promise<RateList>;
  setRate(body: SetRateRequest): Promise<SetRateResponse>;
  /** This server's data sources (the location database and its credit). */
  about(): Promise<About>;
  // Invoices, WIP and realization (issue #14 items 4, 5).
  listInvoices(query?: { status?: 'draft' | 'issued' | 'void'; clientId?: string }): Promise<InvoiceList>;
  getInvoice(id: string): Promise<Invoice>;
  createDraft(body: CreateDraftRequest): Promise<Invoice>;
  updateDraft(id: string, body: UpdateDraftRequest): Promise<Invoice>;
  deleteDraft(id: string): Promise<void>;
  issueInvoice(id: string, body?: { dueDate?: string }): Promise<Invoice>;
  voidInvoice(id: string, reason: string): Promise<Invoice>;
  markInvoicePaid(id: string, paidOn: string): Promise<Invoice>;
  getWip(): Promise<WipReport>;
}

/** An invoice's PDF and CSV are downloads: their URL paths. */
export const invoicePdfPath = (id: string): string => `/api/v1/invoices/${encodeURIComponent(id)}/pdf`;
export const invoiceCsvPath = (id: string): string => `/api/v1/invoices/${encodeURIComponent(id)}/csv`;

/** The audit log's CSV export (a download, like the entries'): its URL path with the page's filters. */
export function auditCsvPath(query: AuditExportQuery): string {
  return withQuery('/api/v1/admin/audit-events.csv', query);
}

/** The CSV export is a download, not JSON: its URL path for a link or a fetch. */
export function entriesCsvPath(query: CsvQuery): string {
  return `/api/v1/reports/entries.csv?${new URLSearchParams({ from: query.from, to: query.to, ...(query.format ? { format: query.format } : {}) }).toString()}`;
}

function withQuery(path: string, query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A failed call: either the server's error body, or `network_error` when no answer came. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** `needs_newer_client`: the server asked for a step this caller does not know (a 202 two-factor sign-in to `login`). */
    readonly code: ErrorCode | 'network_error' | 'needs_newer_client',
    message: string,
    readonly reason?: SessionEndReason,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * True when the server said this session is over (revoked, expired, or no
   * valid credentials). A wrong password at sign-in (401 `invalid_credentials`)
   * is not: there was no session to end.
   */
  get isSignedOut(): boolean {
    return this.status === 401 && (SIGNED_OUT_CODES as readonly string[]).includes(this.code);
  }

  /** True when no answer, or a 5xx, came back: the session may well still be fine. */
  get isUnreachable(): boolean {
    return this.code === 'network_error' || this.status >= 500;
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpTabApiOptions {
  /** Origin of the server, e.g. `http://localhost:4000`; '' for same-origin (the web client). */
  baseUrl: string;
  fetch?: FetchLike;
  /** Extra headers per request, e.g. `Authorization: Bearer …` in Electron's main process. */
  headers?: () => Record<string, string>;
  /** `include` lets the browser send the `tab_session` cookie. */
  credentials?: RequestCredentials;
  /** Called with every response, before it is parsed (Electron main reads Set-Cookie here). */
  onResponse?: (response: Response, request: HttpRequest) => void;
  /** Called for every answer that ends the session (see ApiError.isSignedOut): the place to sign the user out. */
  onSignedOut?: (error: ApiError) => void;
}

export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  if (isApiErrorBody(body)) {
    const { code, message, reason } = (body as ApiErrorBody).error;
    return new ApiError(response.status, code, message, reason, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return new ApiError(response.status, response.status >= 500 ? 'internal_error' : 'invalid_request', `The server answered ${response.status}.`);
}

/** Sends one request; resolves with the parsed JSON body (undefined for 204). */
export async function sendHttp(options: HttpTabApiOptions, request: HttpRequest): Promise<unknown> {
  const doFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers?.() ?? {}) };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await doFetch(options.baseUrl + request.path, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      credentials: options.credentials,
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', 'The TAB server could not be reached.', undefined, undefined);
  }
  options.onResponse?.(response, request);
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.isSignedOut) options.onSignedOut?.(error);
    throw error;
  }
  if (response.status === 204) return undefined;
  return response.json();
}

const enc = encodeURIComponent;

/** Builds the TabApi on top of any request function (HTTP here, IPC in the desktop renderer). */
export function createTabApi(send: (request: HttpRequest) => Promise<unknown>): TabApi {
  const call = <T>(method: HttpRequest['method'], path: string, body?: unknown) =>
    send({ method, path, body }) as Promise<T>;
  return {
    login: async (body) => {
      const answer = await call<LoginResponse | LoginChallengeResponse>('POST', '/api/v1/auth/login', body);
      if ('mfaRequired' in answer) throw new ApiError(202, 'needs_newer_client', MFA_NEEDS_NEWER_CLIENT);
      return answer;
    },
    signInStep: (body) => call('POST', '/api/v1/auth/login', body),
    loginMfa: (body) => call('POST', '/api/v1/auth/login/mfa', body),
    loginEnrol: (challenge) => call('POST', '/api/v1/auth/login/enrol', { challenge }),
    loginEnrolConfirm: (body) => call('POST', '/api/v1/auth/login/enrol/confirm', body),
    reauth: (body) => call('POST', '/api/v1/auth/reauth', body),
    twoFactorStatus: () => call('GET', '/api/v1/me/two-factor'),
    passkeys: () => call('GET', '/api/v1/me/passkeys'),
    passkeyRegistrationOptions: () => call('POST', '/api/v1/me/passkeys/options'),
    registerPasskey: (body) => call('POST', '/api/v1/me/passkeys', body),
    removePasskey: (id, body) => call('POST', `/api/v1/me/passkeys/${encodeURIComponent(id)}/remove`, body),
    loginPasskeyOptions: (challenge) => call('POST', '/api/v1/auth/login/passkey/options', { challenge }),
    loginPasskey: (body) => call('POST', '/api/v1/auth/login/passkey', body),
    passkeySignInOptions: (body) => call('POST', '/api/v1/auth/passkey/options', body),
    passkeySignIn: (body) => call('POST', '/api/v1/auth/passkey', body),
    reauthPasskeyOptions: () => call('POST', '/api/v1/auth/reauth/passkey/options'),
    reauthPasskey: (body) => call('POST', '/api/v1/auth/reauth/passkey', body),
    startTotpEnrolment: (body) => call('POST', '/api/v1/me/two-factor/totp', body),
    confirmTotpEnrolment: (code) => call('POST', '/api/v1/me/two-factor/totp/confirm', { code }),
    disableTwoFactor: (body) => call('POST', '/api/v1/me/two-factor/disable', body),
    regenerateRecoveryCodes: (body) => call('POST', '/api/v1/me/two-factor/recovery-codes', body),
    reauthOptions: () => call('GET', '/api/v1/me/reauth-options'),
    ssoReauthStart: () => call('POST', '/api/v1/auth/sso/reauth/start', {}),
    ssoReauthComplete: (body) => call('POST', '/api/v1/auth/sso/reauth/complete', body),
    memberTwoFactor: (userId) => call('GET', `/api/v1/admin/members/${enc(userId)}/two-factor`),
    resetMemberTwoFactor: (userId, body) => call('POST', `/api/v1/admin/members/${enc(userId)}/two-factor/reset`, body),
    memberPasskeys: (userId) => call('GET', `/api/v1/admin/members/${enc(userId)}/passkeys`),
    removeMemberPasskey: (userId, id, body) => call('POST', `/api/v1/admin/members/${enc(userId)}/passkeys/${enc(id)}/remove`, body),
    getTwoFactorPolicy: () => call('GET', '/api/v1/admin/two-factor-policy'),
    putTwoFactorPolicy: (body) => call('PUT', '/api/v1/admin/two-factor-policy', body),
    refresh: () => call('POST', '/api/v1/auth/refresh'),
    logout: () => call('POST', '/api/v1/auth/logout'),
    me: () => call('GET', '/api/v1/me'),
    changePassword: (body) => call('POST', '/api/v1/me/password', body),
    listSessions: () => call('GET', '/api/v1/sessions'),
    revokeSession: (id) => call('DELETE', `/api/v1/sessions/${enc(id)}`),
    revokeOtherSessions: () => call('DELETE', '/api/v1/sessions/others'),
    listApiTokens: () => call('GET', '/api/v1/api-tokens'),
    createApiToken: (body) => call('POST', '/api/v1/api-tokens', body),
    revokeApiToken: (id) => call('DELETE', `/api/v1/api-tokens/${enc(id)}`),
    listMembers: () => call('GET', '/api/v1/admin/members'),
    inviteMember: (body) => call('POST', '/api/v1/admin/members', body),
    reissueInvitation: (userId) => call('POST', `/api/v1/admin/members/${enc(userId)}/invitation`),
    cancelInvitation: (userId) => call('DELETE', `/api/v1/admin/members/${enc(userId)}/invitation`),
    changeMemberRole: (userId, body) => call('PUT', `/api/v1/admin/members/${enc(userId)}/role`, body),
    issuePasswordReset: (userId) => call('POST', `/api/v1/admin/members/${enc(userId)}/password-reset`),
    lookupLink: (token) => call('POST', '/api/v1/links/lookup', { token }),
    completeLink: (body) => call('POST', '/api/v1/links/complete', body),
    getWorkspace: () => call('GET', '/api/v1/workspace'),
    updateWorkspace: (body) => call('PATCH', '/api/v1/admin/workspace', body),
    listMemberSessions: (userId) => call('GET', `/api/v1/admin/members/${enc(userId)}/sessions`),
    revokeMemberSession: (userId, sessionId) =>
      call('DELETE', `/api/v1/admin/members/${enc(userId)}/sessions/${enc(sessionId)}`),
    revokeMemberSessions: (userId) => call('DELETE', `/api/v1/admin/members/${enc(userId)}/sessions`),
    listMemberApiTokens: (userId) => call('GET', `/api/v1/admin/members/${enc(userId)}/api-tokens`),
    revokeMemberApiToken: (userId, tokenId) => call('DELETE', `/api/v1/admin/members/${enc(userId)}/api-tokens/${enc(tokenId)}`),
    disableMember: (userId) => call('POST', `/api/v1/admin/members/${enc(userId)}/disable`),
    enableMember: (userId) => call('POST', `/api/v1/admin/members/${enc(userId)}/enable`),
    revokeWorkspaceSessions: (body) => call('POST', '/api/v1/admin/sessions/revoke-all', body),
    getSessionPolicy: () => call('GET', '/api/v1/admin/session-policy'),
    putSessionPolicy: (policy) => call('PUT', '/api/v1/admin/session-policy', policy),
    listAuditEvents: (query) => call('GET', withQuery('/api/v1/admin/audit-events', query)),
    updateMe: (body) => call('PATCH', '/api/v1/me', body),
    listClients: () => call('GET', '/api/v1/clients'),
    createClient: (body) => call('POST', '/api/v1/clients', body),
    updateClient: (id, body) => call('PATCH', `/api/v1/clients/${enc(id)}`, body),
    deleteClient: (id) => call('DELETE', `/api/v1/clients/${enc(id)}`),
    listEntries: (query) => call('GET', withQuery('/api/v1/entries', query)),
    createEntry: (body) => call('POST', '/api/v1/entries', body),
    updateEntry: (id, body) => call('PATCH', `/api/v1/entries/${enc(id)}`, body),
    deleteEntry: (id) => call('DELETE', `/api/v1/entries/${enc(id)}`),
    startTimer: (body) => call('POST', '/api/v1/timer/start', body),
    stopTimer: (body = {}) => call('POST', '/api/v1/timer/stop', body),
    getDashboard: () => call('GET', '/api/v1/dashboard'),
    getWeekGrid: (day) => call('GET', withQuery('/api/v1/week-grid', { week: day })),
    listMatters: (query = {}) => call('GET', withQuery('/api/v1/matters', query)),
    createMatter: (body) => call('POST', '/api/v1/matters', body),
    updateMatter: (id, body) => call('PATCH', `/api/v1/matters/${enc(id)}`, body),
    listActivities: () => call('GET', '/api/v1/activities'),
    createActivity: (body) => call('POST', '/api/v1/activities', body),
    updateActivity: (id, body) => call('PATCH', `/api/v1/activities/${enc(id)}`, body),
    listRates: (clientId) => call('GET', withQuery('/api/v1/rates', { clientId })),
    setRate: (body) => call('PUT', '/api/v1/rates', body),
    getSummary: (query) => call('GET', withQuery('/api/v1/reports/summary', query)),
    markBilled: (body) => call('POST', '/api/v1/billing/mark-billed', body),
    unbill: (body) => call('POST', '/api/v1/billing/unbill', body),
    getTimesheetWeek: (userId, monday) => call('GET', `/api/v1/timesheets/${enc(userId)}/weeks/${enc(monday)}`),
    submitWeek: (userId, monday) => call('POST', `/api/v1/timesheets/${enc(userId)}/weeks/${enc(monday)}/submit`),
    approveWeek: (userId, monday) => call('POST', `/api/v1/timesheets/${enc(userId)}/weeks/${enc(monday)}/approve`),
    reopenWeek: (userId, monday) => call('POST', `/api/v1/timesheets/${enc(userId)}/weeks/${enc(monday)}/reopen`),
    getWeekQueue: () => call('GET', '/api/v1/timesheets/queue'),
    listInvoices: (query = {}) => call('GET', withQuery('/api/v1/invoices', query)),
    getInvoice: (id) => call('GET', `/api/v1/invoices/${enc(id)}`),
    createDraft: (body) => call('POST', '/api/v1/invoices', body),
    updateDraft: (id, body) => call('PATCH', `/api/v1/invoices/${enc(id)}`, body),
    deleteDraft: async (id) => {
      await call('DELETE', `/api/v1/invoices/${enc(id)}`);
    },
    issueInvoice: (id, body = {}) => call('POST', `/api/v1/invoices/${enc(id)}/issue`, body),
    voidInvoice: (id, reason) => call('POST', `/api/v1/invoices/${enc(id)}/void`, { reason }),
    markInvoicePaid: (id, paidOn) => call('POST', `/api/v1/invoices/${enc(id)}/paid`, { paidOn }),
    getWip: () => call('GET', '/api/v1/billing/wip'),
    about: () => call('GET', '/api/v1/about'),
  };
}

export function createHttpTabApi(options: HttpTabApiOptions): TabApi {
  return createTabApi((request) => sendHttp(options, request));
}
