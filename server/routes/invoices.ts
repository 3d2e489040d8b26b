import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  ClientTaxRequest,
  CreateDraftRequest,
  Invoice,
  InvoiceIdParams,
  InvoiceList,
  InvoiceListQuery,
  IssueRequest,
  PaidRequest,
  RealizationQuery,
  RealizationReport,
  UpdateDraftRequest,
  VoidRequest,
  WipReport,
} from '../../shared/api/invoices.js';
import { ClientIdParams } from '../../shared/api/time.js';
import { Ok } from '../../shared/api/common.js';
import { invoiceCsv } from '../billing/invoice-csv.js';
import { invoicePdf } from '../billing/invoice-pdf.js';
import { HttpError } from '../http/http-error.js';
import { authOf, clientIp } from '../http/request-context.js';
import { errors } from './errors.js';
import type { RouteDeps } from './context.js';

/** A file name from an invoice's number (or "draft"), safe in a header. */
const fileName = (invoice: Invoice, ext: string) => `${invoice.number ?? `draft-${invoice.id.slice(0, 8)}`}.${ext}`;

/**
 * Invoices (managers and admins), WIP and realization. The rules are the
 * invoice and WIP services'; these routes declare and call them. Reads need
 * the `reports:read` scope, writes `billing:write`.
 */
export const invoiceRoutes = (deps: RouteDeps): FastifyPluginAsyncTypebox => async (app) => {
  const read = { auth: 'any', scope: 'reports:read' } as const;
  const write = { auth: 'any', scope: 'billing:write' } as const;
  const tags = ['invoices'];
  const { invoices, wip } = deps;

  app.get('/invoices', {
    config: read,
    schema: { tags, summary: 'Invoices, newest first (at most 500), by status and client', querystring: InvoiceListQuery, response: { 200: InvoiceList, ...errors(400, 401, 403) } },
  }, async (request) => ({ invoices: await invoices.list(authOf(request), request.query) }));

  app.post('/invoices', {
    config: write,
    schema: {
      tags,
      summary: "A draft from a client's unbilled, finished, billable entries of a period (days in the workspace's zone)",
      description: 'Lines are grouped by matter, activity and rate, each listing its entries. With "require approved weeks before billing", only entries of approved weeks. Running timers, entries in another currency and unapproved ones are counted in `leftOut`.',
      body: CreateDraftRequest,
      response: { 201: Invoice, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.code(201).send(await invoices.createDraft(authOf(request), request.body, clientIp(request))));

  app.get('/invoices/:id', {
    config: read,
    schema: { tags, summary: 'An invoice with its lines and their entries', params: InvoiceIdParams, response: { 200: Invoice, ...errors(400, 401, 403, 404) } },
  }, async (request) => invoices.get(authOf(request), request.params.id));

  app.patch('/invoices/:id', {
    config: write,
    schema: {
      tags,
      summary: "A draft's write-ups/downs (per line or on the total: amount in cents or percent in basis points, with a reason), tax rate and notes",
      params: InvoiceIdParams,
      body: UpdateDraftRequest,
      response: { 200: Invoice, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => invoices.updateDraft(authOf(request), request.params.id, request.body, clientIp(request)));

  app.delete('/invoices/:id', {
    config: write,
    schema: { tags, summary: 'Deletes a draft (an issued invoice is voided instead)', params: InvoiceIdParams, response: { 200: Ok, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    await invoices.deleteDraft(authOf(request), request.params.id, clientIp(request));
    return { ok: true as const };
  });

  app.post('/invoices/:id/issue', {
    config: write,
    schema: {
      tags,
      summary: 'Issues a draft: the next number of the year (INV-2026-0001, gapless per workspace), its entries billed and locked',
      description: '409 `invoice_timer_running` while a timer of the client runs in the period; 409 `invoice_stale` when an entry changed since drafting; 409 `invoice_state` when not a draft. The due date defaults to 30 days after the issue date.',
      params: InvoiceIdParams,
      body: Type.Optional(IssueRequest),
      response: { 200: Invoice, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => invoices.issue(authOf(request), request.params.id, request.body ?? {}, clientIp(request)));

  app.post('/invoices/:id/void', {
    config: write,
    schema: {
      tags,
      summary: 'Voids an issued, unpaid invoice: its entries are unbilled (back in WIP); its number stays, marked void',
      params: InvoiceIdParams,
      body: VoidRequest,
      response: { 200: Invoice, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => invoices.void(authOf(request), request.params.id, request.body.reason, clientIp(request)));

  app.post('/invoices/:id/paid', {
    config: write,
    schema: { tags, summary: 'Marks an issued invoice paid on a date', params: InvoiceIdParams, body: PaidRequest, response: { 200: Invoice, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => invoices.markPaid(authOf(request), request.params.id, request.body.paidOn, clientIp(request)));

  app.get('/invoices/:id/pdf', {
    config: read,
    schema: {
      tags,
      summary: 'An issued (or void) invoice as PDF',
      params: InvoiceIdParams,
      produces: ['application/pdf'],
      response: { 200: { description: 'The PDF', content: { 'application/pdf': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } } }, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const auth = authOf(request);
    const invoice = await invoices.get(auth, request.params.id);
    if (invoice.status === 'draft') throw new HttpError('invoice_state', 'A draft has no PDF yet: issue it first (its number is given then).');
    const firm = await deps.store.getWorkspaceSettings(auth.user.workspaceId);
    const pdf = await invoicePdf(invoice, { name: firm?.name ?? '', address: firm?.address ?? '' });
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${fileName(invoice, 'pdf')}"`).send(pdf);
  });

  app.get('/invoices/:id/csv', {
    config: read,
    schema: {
      tags,
      summary: "An invoice's lines as CSV (UTF-8 with BOM, CRLF)",
      params: InvoiceIdParams,
      produces: ['text/csv'],
      response: { 200: { description: 'The lines', content: { 'text/csv': { schema: Type.String() } } }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const invoice = await invoices.get(authOf(request), request.params.id);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(invoice, 'csv')}"`).send(invoiceCsv(invoice));
  });

  app.get('/billing/clients/:id/tax', {
    config: read,
    schema: { tags, summary: "A client's tax rate (basis points) and label", params: ClientIdParams, response: { 200: ClientTaxRequest, ...errors(400, 401, 403, 404) } },
  }, async (request) => invoices.clientTax(authOf(request), request.params.id));

  app.put('/billing/clients/:id/tax', {
    config: write,
    schema: { tags, summary: "Sets a client's tax (e.g. VAT 2000 = 20 %), which new drafts take", params: ClientIdParams, body: ClientTaxRequest, response: { 200: ClientTaxRequest, ...errors(400, 401, 403, 404) } },
  }, async (request) => invoices.setClientTax(authOf(request), request.params.id, request.body, clientIp(request)));

  app.get('/billing/wip', {
    config: read,
    schema: { tags, summary: 'Unbilled work by client with aging buckets (0–30, 31–60, 61–90, over 90 days; workspace zone)', response: { 200: WipReport, ...errors(401, 403) } },
  }, async (request) => wip.wip(authOf(request)));

  app.get('/billing/realization', {
    config: read,
    schema: { tags, summary: 'Realization by client and matter: billed (issued invoices in the period) against standard value', querystring: RealizationQuery, response: { 200: RealizationReport, ...errors(400, 401, 403) } },
  }, async (request) => wip.realization(authOf(request), request.query));
};
