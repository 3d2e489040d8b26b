import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type HttpRequest } from '../../../../shared/api/client.js';
import type { Activity, Matter, Rate } from '../../../../shared/api/billing.js';
import type { Client } from '../../../../shared/api/time.js';
import { fakeBackend, manager, renderSignedIn } from '../../../test-support/fake-backend.js';
import { acme, globex } from '../../../test-support/time.js';
import { makeMember } from '../../../test-support/members.js';
import { BillingSetupPage } from './BillingSetupPage.js';

const member = (id: string, name: string) => makeMember(id, name);

/** A small stateful server: matters, activities, rates and clients as the real routes answer them. */
function server() {
  const state = { clients: [acme, globex] as Client[], matters: [] as Matter[], activities: [] as Activity[], rates: [] as Rate[], sent: [] as { key: string; body: unknown }[] };
  const now = '2026-12-01T10:00:00.000Z';
  const record = (request: HttpRequest) => state.sent.push({ key: `${request.method} ${request.path.split('?')[0]}`, body: request.body });
  const fake = fakeBackend({
    'GET /api/v1/clients': () => ({ clients: state.clients }),
    'PATCH /api/v1/clients/11111111-1111-4111-8111-111111111111': (request) => {
      record(request);
      state.clients = state.clients.map((c) => (c.id === acme.id ? { ...c, ...(request.body as object) } : c));
      return state.clients[0];
    },
    'GET /api/v1/matters': () => ({ matters: state.matters }),
    'POST /api/v1/matters': (request) => {
      record(request);
      const body = request.body as Partial<Matter> & { code: string; name: string; clientId: string };
      if (state.matters.some((m) => m.code.toLowerCase() === body.code.toLowerCase())) throw new ApiError(409, 'name_taken', 'Invalid body.code: taken.');
      const matter: Matter = { fixedFeeCents: null, budget: null, rounding: null, billingType: 'hourly', ...body, id: `m-${body.code}`, closed: false, closedAt: null, createdAt: now, updatedAt: now };
      state.matters.push(matter);
      return matter;
    },
    'GET /api/v1/activities': () => ({ activities: state.activities }),
    'POST /api/v1/activities': (request) => {
      const activity = { id: `a-${state.activities.length}`, name: (request.body as { name: string }).name, archived: false, createdAt: now, updatedAt: now };
      state.activities.push(activity);
      return activity;
    },
    'GET /api/v1/admin/members': () => ({ members: [member('u-ana', 'Ana Accountant'), member('u-ben', 'Ben Bookkeeper')] }),
    'GET /api/v1/rates': (request) => ({ rates: request.path.includes('clientId') ? state.rates.filter((r) => r.level !== 'member-default') : state.rates.filter((r) => r.level === 'member-default') }),
    'PUT /api/v1/rates': (request) => {
      record(request);
      const body = request.body as { userId?: string; matterId?: string; clientId?: string; hourlyRateCents: number };
      const level = body.userId && body.matterId ? 'member-on-matter' : body.matterId ? 'matter' : body.userId && body.clientId ? 'member-for-client' : 'member-default';
      const rate: Rate = { level, userId: body.userId ?? null, clientId: body.clientId ?? null, matterId: body.matterId ?? null, hourlyRateCents: body.hourlyRateCents, updatedAt: now };
      state.rates = [...state.rates.filter((r) => !(r.level === level && r.userId === rate.userId && r.matterId === rate.matterId)), rate];
      return { rate };
    },
  });
  return { state, fake };
}

describe('Billing › Set-up', () => {
  it('adds a matter (a taken code is said from its code), prices it, and says which level applies', async () => {
    const { state, fake } = server();
    renderSignedIn(<BillingSetupPage clientId={acme.id} />, { backend: fake.backend, user: manager, path: `/billing/setup/${acme.id}` });
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { name: 'Billing set-up' })).toBeInTheDocument();
    expect(screen.getByLabelText('Client')).toHaveValue(acme.id);
    // Before any matter: the client's own rate applies.
    const check = await screen.findByTestId('rate-check');
    expect(check).toHaveTextContent('from the client rate');
    expect(screen.getByText(/Applies to new entries only/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add matter' }));
    let dialog = screen.getByRole('dialog', { name: 'Add a matter for Acme Ltd' });
    await user.type(within(dialog).getByLabelText('Code'), 'TAX-2026');
    await user.type(within(dialog).getByLabelText('Name'), 'Tax return 2026');
    await user.selectOptions(within(dialog).getByLabelText('Budget'), 'hours');
    await user.type(within(dialog).getByLabelText('Budget hours'), '12.5');
    await user.click(within(dialog).getByRole('switch', { name: /Own rounding rule/ }));
    await user.selectOptions(within(dialog).getByLabelText('Round to'), '15');
    await user.selectOptions(within(dialog).getByLabelText('Direction'), 'up');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getAllByTestId('matter-row')).toHaveLength(1));
    expect(state.sent.at(-1)).toEqual({
      key: 'POST /api/v1/matters',
      body: { clientId: acme.id, code: 'TAX-2026', name: 'Tax return 2026', billingType: 'hourly', fixedFeeCents: null, budget: { minutes: 750 }, rounding: { incrementMinutes: 15, mode: 'up', scope: 'entry' } },
    });
    expect(screen.getByTestId('matter-row')).toHaveTextContent('15 min, up, each entry');

    // The same code again: the page says why, from the error's code.
    await user.click(screen.getByRole('button', { name: 'Add matter' }));
    dialog = screen.getByRole('dialog', { name: 'Add a matter for Acme Ltd' });
    await user.type(within(dialog).getByLabelText('Code'), 'tax-2026');
    await user.type(within(dialog).getByLabelText('Name'), 'Again');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('This client already has a matter with that code.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    // A matter rate, edited in place, outranks the client's.
    const matterRate = await screen.findByLabelText('Rate: Matter TAX-2026');
    await user.type(matterRate, '150');
    await user.click(within(matterRate.closest('tr')!).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(state.sent.at(-1)).toEqual({ key: 'PUT /api/v1/rates', body: { matterId: 'm-TAX-2026', hourlyRateCents: 15000 } }));
    expect(await screen.findByText('Rate saved: Matter TAX-2026')).toBeInTheDocument();
    await user.selectOptions(within(screen.getByTestId('rate-check')).getByLabelText('Working on'), 'm-TAX-2026');
    expect(screen.getByTestId('rate-check')).toHaveTextContent('from the matter rate');
    expect(screen.getByTestId('rate-check')).toHaveTextContent('150.00');

    // A bad amount never leaves the page.
    const anaRate = screen.getByLabelText('Rate: Ana Accountant for Acme Ltd');
    await user.type(anaRate, '12,345');
    expect(screen.getByText('Enter an amount such as 120 or 120.50, or leave empty.')).toBeInTheDocument();
    expect(within(anaRate.closest('tr')!).getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it("saves the client's rounding rule and adds and archives activity codes", async () => {
    const { state, fake } = server();
    renderSignedIn(<BillingSetupPage clientId={null} />, { backend: fake.backend, user: manager, path: '/billing/setup' });
    const user = userEvent.setup();
    const save = await screen.findByRole('button', { name: 'Save rounding' });
    expect(save).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Round to'), '6');
    await user.selectOptions(screen.getByLabelText('Applied to'), 'day-per-matter');
    await user.click(save);
    await waitFor(() => expect(state.sent.at(-1)).toEqual({ key: `PATCH /api/v1/clients/${acme.id}`, body: { rounding: { incrementMinutes: 6, mode: 'nearest', scope: 'day-per-matter' } } }));
    expect(await screen.findByText(/Rounding for Acme Ltd: 6 min/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('New activity code'), 'Bookkeeping{Enter}');
    expect(await screen.findByText('Bookkeeping added')).toBeInTheDocument();
    expect(screen.getAllByTestId('activity-row')).toHaveLength(1);
    fake.responses['PATCH /api/v1/activities/a-0'] = () => ({ ...state.activities[0], archived: true });
    await user.click(screen.getByRole('button', { name: 'Archive Bookkeeping' }));
    expect(await screen.findByText('Bookkeeping archived')).toBeInTheDocument();
    expect(fake.calls('PATCH /api/v1/activities/a-0')).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Add activity' }));
    expect(screen.getByText('Enter a name, such as Bookkeeping.')).toBeInTheDocument();
  });
});
