import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TimesheetWeek, UnbillRequest, UnbillResponse, WeekApproval, WeekParams, WeekQueue } from '../../shared/api/timesheets.js';
import { authOf, clientIp } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** Team timesheets and un-billing: the rules live in `TimesheetService` and `BillingService` (server/time/). */
export const timesheetRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'time:read' } as const;
  const write = { auth: 'any', scope: 'time:write' } as const;
  // Approving and reopening are a person's sign-off: a signed-in manager or admin, never an API token.
  const signOff = { auth: 'session' } as const;
  const billing = { auth: 'any', scope: 'billing:write' } as const;
  const tags = ['timesheets'];
  const { timesheets } = deps;

  app.get(
    '/timesheets/:userId/weeks/:monday',
    {
      config: read,
      schema: {
        tags,
        summary: 'A member’s week: rows per client, days as columns, totals, its entries and approval (your own; anyone’s for managers and admins)',
        description: 'Days and totals are counted in your time zone; an entry counts on the day it starts, a running timer up to now.',
        params: WeekParams,
        response: { 200: TimesheetWeek, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => timesheets.week(authOf(request), request.params.userId, request.params.monday),
  );

  app.post(
    '/timesheets/:userId/weeks/:monday/submit',
    {
      config: write,
      schema: { tags, summary: 'Submit one of your weeks for approval (idempotent)', params: WeekParams, response: { 200: WeekApproval, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request) => timesheets.submit(authOf(request), request.params.userId, request.params.monday, clientIp(request)),
  );

  app.post(
    '/timesheets/:userId/weeks/:monday/approve',
    {
      config: signOff,
      schema: {
        tags,
        summary: 'Approve a submitted week (managers and admins): its entries lock for the member',
        description: '409 `week_not_submitted` for a week not submitted; 409 `week_timer_running` while the member has a timer running in it.',
        params: WeekParams,
        response: { 200: WeekApproval, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => timesheets.approve(authOf(request), request.params.userId, request.params.monday, clientIp(request)),
  );

  app.post(
    '/timesheets/:userId/weeks/:monday/reopen',
    {
      config: signOff,
      schema: {
        tags,
        summary: 'Reopen a week: a submitted one (any manager), an approved one (its approver within a day, or an admin)',
        params: WeekParams,
        response: { 200: WeekApproval, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => timesheets.reopen(authOf(request), request.params.userId, request.params.monday, clientIp(request)),
  );

  app.get(
    '/timesheets/queue',
    { config: read, schema: { tags, summary: 'Weeks waiting for approval, oldest first (managers and admins)', response: { 200: WeekQueue, ...errors(401, 403) } } },
    async (request) => timesheets.queue(authOf(request)),
  );

  app.post(
    '/billing/unbill',
    {
      config: billing,
      schema: {
        tags: ['billing'],
        summary: 'Un-bill entries billed with Mark billed (admins), all or none; idempotent',
        body: UnbillRequest,
        response: { 200: UnbillResponse, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => deps.billing.unbill(authOf(request), request.body.entryIds, clientIp(request)),
  );
};
