import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { cleanDisplayText } from '../../shared/text/display-text.js';
import {
  CLIENT_NAME_MAX,
  ClientIdParams,
  ClientList,
  CreateClientRequest,
  DeleteClientResponse,
  UpdateClientRequest,
} from '../../shared/api/time.js';
import { HttpError, notFound } from '../http/http-error.js';
import type { FastifyRequest } from 'fastify';
import { authOf, clientIp, requireRole } from '../http/request-context.js';
import { currentSessionId, type AuthContext } from '../sessions/auth-context.js';
import type { AuditInput, StoredClient } from '../store/types.js';
import { isKnownCurrency, toClientView } from '../time/time-views.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** A client's name as it will be shown: cleaned for display (one line, no control or bidi characters), never blank. */
function checkName(name: string): string {
  const cleaned = cleanDisplayText(name, CLIENT_NAME_MAX);
  if (cleaned === '') throw new HttpError('invalid_request', 'Invalid body.name: must not be blank.');
  return cleaned;
}

function checkCurrency(currency: string): string {
  if (!isKnownCurrency(currency)) throw new HttpError('invalid_request', `Invalid body.currency: ${currency} is not an ISO 4217 currency code.`);
  return currency;
}

/**
 * The firm's clients. Everyone in the workspace reads them (the timer needs
 * them); managers and admins create, change, archive and delete. A client
 * with time entries is never deleted: DELETE archives it instead.
 */
export const clientRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'time:read' } as const;
  // Clients carry the rates that bills are made of: changing them is billing.
  const write = { auth: 'any', scope: 'billing:write' } as const;
  const tags = ['clients'];

  /** The audit row of a change to a client, by whoever made it (session or API token). */
  function audited(request: FastifyRequest, type: AuditInput['type'], detail: Record<string, unknown>): AuditInput {
    const auth = authOf(request);
    return { workspaceId: auth.user.workspaceId, type, at: deps.clock.now(), actorUserId: auth.user.id, sessionId: currentSessionId(auth), ip: clientIp(request), detail };
  }

  async function clientOf(auth: AuthContext, id: string): Promise<StoredClient> {
    const client = await deps.store.findClient(id.toLowerCase());
    if (!client || client.workspaceId !== auth.user.workspaceId) throw notFound('That client');
    return client;
  }

  app.get(
    '/clients',
    { config: read, schema: { tags, summary: "The workspace's clients, archived ones included, by name", response: { 200: ClientList, ...errors(401, 403) } } },
    async (request) => {
      const auth = authOf(request);
      const clients = await deps.store.listClients(auth.user.workspaceId);
      return { clients: clients.map(toClientView) };
    },
  );

  app.post(
    '/clients',
    {
      config: write,
      schema: { tags, summary: 'Add a client (managers and admins)', body: CreateClientRequest, response: { 201: Type.Ref('Client'), ...errors(400, 401, 403) } },
    },
    async (request, reply) => {
      const auth = authOf(request);
      requireRole(auth, 'admin', 'manager');
      const now = deps.clock.now();
      const name = checkName(request.body.name);
      const client = await deps.store.createClient(
        {
          id: randomUUID(),
          workspaceId: auth.user.workspaceId,
          name,
          hourlyRateCents: request.body.hourlyRateCents,
          currency: checkCurrency(request.body.currency),
          archivedAt: null,
          createdAt: now,
          updatedAt: now,
        },
        audited(request, 'client_created', { name, hourlyRateCents: request.body.hourlyRateCents, currency: request.body.currency }),
      );
      return reply.status(201).send(toClientView(client));
    },
  );

  app.patch(
    '/clients/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change or (un)archive a client; existing entries keep their rate and currency',
        params: ClientIdParams,
        body: UpdateClientRequest,
        response: { 200: Type.Ref('Client'), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      requireRole(auth, 'admin', 'manager');
      const client = await clientOf(auth, request.params.id);
      const now = deps.clock.now();
      const { name, hourlyRateCents, currency, archived, rounding } = request.body;
      const next: StoredClient = {
        ...client,
        name: name === undefined ? client.name : checkName(name),
        hourlyRateCents: hourlyRateCents ?? client.hourlyRateCents,
        currency: currency === undefined ? client.currency : checkCurrency(currency),
        archivedAt: archived === undefined ? client.archivedAt : archived ? (client.archivedAt ?? now) : null,
        rounding: rounding ?? client.rounding,
        updatedAt: now,
      };
      const before = toClientView(client);
      const after = toClientView(next);
      const fields = (['name', 'hourlyRateCents', 'currency', 'archived', 'rounding'] as const).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
      const archivedNow = !before.archived && after.archived;
      await deps.store.updateClient(
        next,
        fields.length === 0
          ? undefined
          : audited(request, archivedNow && fields.length === 1 ? 'client_archived' : 'client_changed', {
              name: next.name,
              fields,
              changes: Object.fromEntries(fields.map((field) => [field, { from: before[field], to: after[field] }])),
            }),
      );
      return after;
    },
  );

  app.delete(
    '/clients/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a client without entries; a client with entries is archived instead',
        params: ClientIdParams,
        response: { 200: DeleteClientResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      requireRole(auth, 'admin', 'manager');
      const client = await clientOf(auth, request.params.id);
      // The store writes client_deleted or client_archived, by what it did.
      const outcome = await deps.store.deleteOrArchiveClient(client.id, deps.clock.now(), audited(request, 'client_deleted', { name: client.name }));
      const after = outcome === 'archived' ? await deps.store.findClient(client.id) : undefined;
      return { outcome, client: after ? toClientView(after) : null };
    },
  );
};
