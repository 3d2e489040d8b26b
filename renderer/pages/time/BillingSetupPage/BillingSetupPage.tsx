import { useState } from 'react';
import { Button, InlineLoading, Select, SelectItem, Tile } from '@carbon/react';
import type { Client } from '../../../../shared/api/time.js';
import type { RoundingRule } from '../../../../shared/billing/rounding.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { useRouter } from '../../../router/router.js';
import { paths } from '../../../router/routes.js';
import { ActivitiesSection } from './ActivitiesSection.js';
import { MattersSection } from './MattersSection.js';
import { setupErrorMessage } from './messages.js';
import { RatesSection } from './RatesSection.js';
import { RoundingFields, roundingText } from './RoundingFields.js';
import './BillingSetupPage.scss';

/**
 * Billing › Set-up, one client at a time (managers and admins): its matters,
 * the firm's activity codes, the rate hierarchy and the rounding rule. The
 * address carries the client, so the Clients list links straight here.
 */
export function BillingSetupPage({ clientId }: { clientId: string | null }) {
  useDocumentTitle('Billing set-up');
  const { backend, timeChanged } = useSignedIn();
  const { navigate } = useRouter();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<Notice | null>(null);
  const clients = useApiData(() => backend.api.listClients(), version);
  const list = [...(clients.data?.clients ?? [])].filter((c) => !c.archived || c.id === clientId).sort((a, b) => a.name.localeCompare(b.name));
  const client = list.find((c) => c.id === clientId) ?? (clientId === null ? list[0] : undefined) ?? null;
  const key = `${client?.id}:${version}`;
  const matters = useApiData(() => (client ? backend.api.listMatters({ clientId: client.id, includeClosed: true }) : Promise.resolve({ matters: [] })), key);
  const activities = useApiData(() => backend.api.listActivities(), version);
  const members = useApiData(() => backend.api.listMembers(), 0);
  const rates = useApiData(() => (client ? backend.api.listRates(client.id) : Promise.resolve({ rates: [] })), key);
  const defaults = useApiData(() => backend.api.listRates(), version);
  const changed = () => {
    setVersion((v) => v + 1);
    timeChanged();
  };
  const failed = [clients, matters, activities, members, rates, defaults].find((d) => d.error)?.error ?? null;
  const activeMembers = (members.data?.members ?? []).filter((m) => !m.disabled).sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div className="tab-billing-setup">
      <h1 className="tab-page__title">Billing set-up</h1>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={failed ? { kind: 'error', title: 'Billing set-up could not be loaded', subtitle: failed } : null} />
      {clients.data === null && clients.loading && <InlineLoading description="Loading clients…" />}
      {clients.data && list.length === 0 && <p className="tab-muted">Add a client first (Clients page); matters, rates and rounding are set per client.</p>}
      {clients.data && clientId !== null && client === null && <p className="tab-muted">That client does not exist, or was removed. Choose another one.</p>}
      {list.length > 0 && (
        <Select id="tab-billing-client" className="tab-billing-setup__client" labelText="Client" value={client?.id ?? ''} onChange={(e) => navigate(paths.billingSetup(e.target.value))}>
          {client === null && <SelectItem value="" text="Choose a client" />}
          {list.map((c) => (
            <SelectItem key={c.id} value={c.id} text={c.archived ? `${c.name} (archived)` : c.name} />
          ))}
        </Select>
      )}
      {client && (
        <>
          <RoundingTile key={`${client.id}:${JSON.stringify(client.rounding)}`} client={client} onSaved={changed} onNotice={setNotice} />
          {matters.data && <MattersSection client={client} matters={matters.data.matters} onChanged={changed} onNotice={setNotice} />}
          {matters.data && rates.data && defaults.data && members.data && (
            <RatesSection client={client} matters={matters.data.matters} members={activeMembers} rates={rates.data.rates} defaults={defaults.data.rates} onChanged={changed} onNotice={setNotice} />
          )}
        </>
      )}
      {activities.data && <ActivitiesSection activities={activities.data.activities} onChanged={changed} onNotice={setNotice} />}
    </div>
  );
}

/** The client's rounding rule; a matter may override it (Matters). Raw minutes are always kept. */
function RoundingTile({ client, onSaved, onNotice }: { client: Client; onSaved(): void; onNotice(notice: Notice): void }) {
  const { backend } = useSignedIn();
  const [rule, setRule] = useState<RoundingRule>(client.rounding);
  const [busy, setBusy] = useState(false);
  const dirty = JSON.stringify(rule) !== JSON.stringify(client.rounding);

  async function save() {
    setBusy(true);
    try {
      await backend.api.updateClient(client.id, { rounding: rule });
      onNotice({ kind: 'success', title: `Rounding for ${client.name}: ${roundingText(rule)}`, subtitle: 'Raw minutes stay as recorded; the rule applies when billing.' });
      onSaved();
    } catch (caught) {
      onNotice({ kind: 'error', title: 'The rounding rule was not saved', subtitle: setupErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Tile className="tab-billing-setup__tile">
      <h2 className="tab-billing-setup__heading">Rounding</h2>
      <p className="tab-muted">Raw minutes are always kept; billable time is rounded by this rule when billing. A matter can have its own rule.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <RoundingFields idPrefix="tab-client-rounding" rule={rule} onChange={setRule} disabled={busy} />
        <Button type="submit" size="md" kind="primary" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save rounding'}
        </Button>
      </form>
    </Tile>
  );
}
