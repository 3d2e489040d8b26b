import { useState } from 'react';
import { Button, IconButton, InlineLoading, InlineNotification, Modal, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { Add, Archive, Edit, Undo } from '@carbon/icons-react';
import type { Client } from '../../../../shared/api/time.js';
import { canManageTime, useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { paths } from '../../../router/routes.js';
import { useLinkHandler } from '../../../router/router.js';
import { formatMoney } from '../../../time/format.js';

/** "120", "120.5", "120,50" → cents; null when not a non-negative amount with at most two decimals. */
export function parseRate(text: string): number | null {
  const match = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

const rateText = (cents: number) => (cents / 100).toFixed(2);

/** A client's name leads managers to its billing set-up (matters, rates, rounding). */
function SetupLink({ client }: { client: Client }) {
  const to = paths.billingSetup(client.id);
  const onClick = useLinkHandler(to);
  return (
    <a href={to} onClick={onClick} className="cds--link" aria-label={`${client.name}: billing set-up`}>
      {client.name}
    </a>
  );
}

/** The firm's clients: everyone reads; managers and admins add, edit and archive. */
export function ClientsPage() {
  useDocumentTitle('Clients');
  const { backend, user, timeChanged } = useSignedIn();
  const [version, setVersion] = useState(0);
  const clients = useApiData(() => backend.api.listClients(), version);
  const [editing, setEditing] = useState<{ client: Client | null } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const canWrite = canManageTime(user);
  const list = [...(clients.data?.clients ?? [])].sort((a, b) => Number(a.archived) - Number(b.archived) || a.name.localeCompare(b.name));

  async function setArchived(client: Client, archived: boolean) {
    setBusy(client.id);
    setNotice(null);
    try {
      await backend.api.updateClient(client.id, { archived });
      setNotice({ kind: 'success', title: archived ? `${client.name} archived` : `${client.name} restored` });
      setVersion((v) => v + 1);
      timeChanged();
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The client was not changed', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1 className="tab-page__title">Clients</h1>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={clients.error ? { kind: 'error', title: 'Clients could not be loaded', subtitle: clients.error } : null} />
      {clients.data === null && clients.loading && <InlineLoading description="Loading clients…" />}
      {clients.data && (
        <TableContainer
          title="Clients"
          description={canWrite ? 'New time entries take the rate that applies when they are written. Open a client for its matters, rates and rounding.' : 'Managers and admins maintain this list.'}
        >
          {canWrite && (
            <div className="cds--table-toolbar">
              <div className="cds--toolbar-content">
                <Button kind="primary" size="md" renderIcon={Add} onClick={() => setEditing({ client: null })}>
                  Add client
                </Button>
              </div>
            </div>
          )}
          <Table aria-label="Clients" size="md">
            <TableHead>
              <TableRow>
                <TableHeader>Name</TableHeader>
                <TableHeader>Hourly rate</TableHeader>
                <TableHeader>Status</TableHeader>
                {canWrite && (
                  <TableHeader>
                    <span className="tab-visually-hidden">Actions</span>
                  </TableHeader>
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {list.length === 0 && (
                <TableRow>
                  <TableCell colSpan={canWrite ? 4 : 3} className="tab-muted">
                    No clients yet.
                  </TableCell>
                </TableRow>
              )}
              {list.map((client) => (
                <TableRow key={client.id} data-testid="client-row">
                  <TableCell>{canWrite ? <SetupLink client={client} /> : client.name}</TableCell>
                  <TableCell>{formatMoney({ currency: client.currency, amountCents: client.hourlyRateCents })}</TableCell>
                  <TableCell>
                    {client.archived ? (
                      <Tag type="gray" size="sm">
                        Archived
                      </Tag>
                    ) : (
                      <Tag type="green" size="sm">
                        Active
                      </Tag>
                    )}
                  </TableCell>
                  {canWrite && (
                    <TableCell className="tab-entries-table__actions">
                      <IconButton kind="ghost" size="sm" align="left" label={`Edit ${client.name}`} onClick={() => setEditing({ client })} disabled={busy !== null}>
                        <Edit />
                      </IconButton>
                      <IconButton
                        kind="ghost"
                        size="sm"
                        align="left"
                        label={client.archived ? `Restore ${client.name}` : `Archive ${client.name}`}
                        onClick={() => void setArchived(client, !client.archived)}
                        disabled={busy !== null}
                      >
                        {client.archived ? <Undo /> : <Archive />}
                      </IconButton>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {editing && (
        <ClientModal
          client={editing.client}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice({ kind: 'success', title: `${saved.name} saved` });
            setVersion((v) => v + 1);
            timeChanged();
          }}
        />
      )}
    </>
  );
}

function ClientModal({ client, onClose, onSaved }: { client: Client | null; onClose(): void; onSaved(client: Client): void }) {
  const { backend } = useSignedIn();
  const [name, setName] = useState(client?.name ?? '');
  const [rate, setRate] = useState(client ? rateText(client.hourlyRateCents) : '');
  const [currency, setCurrency] = useState(client?.currency ?? 'EUR');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cents = parseRate(rate);
  const nameError = name.trim() === '' ? 'Enter the client’s name.' : null;
  const rateError = cents === null ? 'Enter an amount such as 120 or 120.50.' : null;
  const currencyError = /^[A-Za-z]{3}$/.test(currency.trim()) ? null : 'Enter a three-letter ISO code, such as EUR.';

  async function submit() {
    setTouched(true);
    if (nameError || rateError || currencyError || cents === null) return;
    setBusy(true);
    setError(null);
    const body = { name: name.trim(), hourlyRateCents: cents, currency: currency.trim().toUpperCase() };
    try {
      onSaved(client ? await backend.api.updateClient(client.id, body) : await backend.api.createClient(body));
    } catch (caught) {
      setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      size="sm"
      modalHeading={client ? `Edit ${client.name}` : 'Add client'}
      primaryButtonText={busy ? 'Saving…' : 'Save'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={busy}
      onRequestSubmit={() => void submit()}
      onRequestClose={onClose}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap={5}>
          {error && <InlineNotification kind="error" lowContrast role="alert" hideCloseButton title="The client was not saved" subtitle={error} />}
          <TextInput id="tab-client-name" labelText="Name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} invalid={touched && nameError !== null} invalidText={nameError ?? undefined} />
          <TextInput
            id="tab-client-rate"
            labelText="Hourly rate"
            inputMode="decimal"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            invalid={touched && rateError !== null}
            invalidText={rateError ?? undefined}
          />
          <TextInput
            id="tab-client-currency"
            labelText="Currency"
            helperText="ISO 4217 code"
            value={currency}
            maxLength={3}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            invalid={touched && currencyError !== null}
            invalidText={currencyError ?? undefined}
          />
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </Stack>
      </form>
    </Modal>
  );
}
