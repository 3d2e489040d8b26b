import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Activity,
  ActivityList,
  CreateActivityRequest,
  CreateMatterRequest,
  IdParams,
  Matter,
  MatterList,
  MatterQuery,
  RateList,
  RateQuery,
  SetRateRequest,
  SetRateResponse,
  UpdateActivityRequest,
  UpdateMatterRequest,
} from '../../shared/api/billing.js';
import { authOf, clientIp } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** Matters, activity codes and rates: the rules live in BillingSetupService (server/billing/billing-setup-service.ts). */
export const billingSetupRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'time:read' } as const;
  // Matters and rates are what bills are made of: changing them is billing.
  const write = { auth: 'any', scope: 'billing:write' } as const;
  const setup = deps.billingSetup;

  app.get(
    '/matters',
    {
      config: read,
      schema: { tags: ['matters'], summary: "The workspace's matters (one client's with clientId), by client and code", querystring: MatterQuery, response: { 200: MatterList, ...errors(400, 401, 403, 404) } },
    },
    async (request) => ({ matters: await setup.listMatters(authOf(request), request.query) }),
  );

  app.post(
    '/matters',
    {
      config: write,
      schema: { tags: ['matters'], summary: 'Add a matter under a client (managers and admins)', body: CreateMatterRequest, response: { 201: Matter, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => reply.status(201).send(await setup.createMatter(authOf(request), request.body, clientIp(request))),
  );

  app.patch(
    '/matters/:id',
    {
      config: write,
      schema: {
        tags: ['matters'],
        summary: 'Change, close or reopen a matter (managers and admins)',
        description: 'A closed matter refuses new entries (400 matter_closed) except work that started before it closed.',
        params: IdParams,
        body: UpdateMatterRequest,
        response: { 200: Matter, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setup.updateMatter(authOf(request), request.params.id, request.body, clientIp(request)),
  );

  app.get(
    '/activities',
    { config: read, schema: { tags: ['activities'], summary: "The workspace's activity codes, archived ones included, by name", response: { 200: ActivityList, ...errors(401, 403) } } },
    async (request) => ({ activities: await setup.listActivities(authOf(request)) }),
  );

  app.post(
    '/activities',
    {
      config: write,
      schema: { tags: ['activities'], summary: 'Add an activity code (managers and admins)', body: CreateActivityRequest, response: { 201: Activity, ...errors(400, 401, 403, 409) } },
    },
    async (request, reply) => reply.status(201).send(await setup.createActivity(authOf(request), request.body, clientIp(request))),
  );

  app.patch(
    '/activities/:id',
    {
      config: write,
      schema: {
        tags: ['activities'],
        summary: 'Rename or (un)archive an activity code (managers and admins)',
        params: IdParams,
        body: UpdateActivityRequest,
        response: { 200: Activity, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setup.updateActivity(authOf(request), request.params.id, request.body, clientIp(request)),
  );

  app.get(
    '/rates',
    {
      config: read,
      schema: {
        tags: ['rates'],
        summary: "A client's rates (matter, member on matter, member for client), or without clientId the members' defaults (managers and admins)",
        querystring: RateQuery,
        response: { 200: RateList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({ rates: await setup.listRates(authOf(request), request.query.clientId) }),
  );

  app.put(
    '/rates',
    {
      config: write,
      schema: {
        tags: ['rates'],
        summary: 'Set or remove one rate of the hierarchy (managers and admins); entries made from now on use it',
        body: SetRateRequest,
        response: { 200: SetRateResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => ({ rate: await setup.setRate(authOf(request), request.body, clientIp(request)) }),
  );
};
