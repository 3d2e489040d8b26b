import { useState } from 'react';
import { Button, IconButton, InlineNotification, Modal, Select, SelectItem, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag, Toggle } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import { Add, Edit, Locked, Unlocked } from '@carbon/icons-react';
import type { Budget, BillingType, CreateMatterRequest, Matter } from '../../../../shared/api/billing.js';
import type { Client } from '../../../../shared/api/time.js';
import type { RoundingRule } from '../../../../shared/billing/rounding.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { formatDuration, parseDuration } from '../../../../shared/time/duration.js';
import { formatMoney } from '../../../time/format.js';
import { parseRate } from '../ClientsPage/ClientsPage.js';
import { setupErrorMessage } from './messages.js';
import { RoundingFields, roundingText } from './RoundingFields.js';

const CODE_TAKEN = 'This client already has a matter with that code.';

function budgetText(budget: Budget, currency: string): string {
  if (budget === null) return '—';
  return 'minutes' in budget ? `${formatDuration(budget.minutes * 60_000)} h` : formatMoney({ currency, amountCents: budget.amountCents });
}

/** The client's matters: add, edit, close and reopen. Closing refuses new work; late-synced work that started before stays. */
export function MattersSection({ client, matters, onChanged, onNotice }: { client: Client; matters: Matter[]; onChanged(): void; onNotice(notice: Notice): void }) {
  const { backend } = useSignedIn();
  const [editing, setEditing] = useState<{ matter: Matter | null } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = [...matters].sort((a, b) => Number(a.closed) - Number(b.closed) || a.code.localeCompare(b.code));

  async function setClosed(matter: Matter, closed: boolean) {
    setBusy(matter.id);
    try {
      await backend.api.updateMatter(matter.id, { closed });
      onNotice({ kind: 'success', title: closed ? `${matter.code} closed` : `${matter.code} reopened`, subtitle: closed ? 'It takes no new entries.' : undefined });
      onChanged();
    } catch (caught) {
      onNotice({ kind: 'error', title: 'The matter was not changed', subtitle: setupErrorMessage(caught, CODE_TAKEN) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <TableContainer title="Matters" description="Engagements of this client. A closed matter takes no new entries; work that started before it closed is kept.">
        <div className="cds--table-toolbar">
          <div className="cds--toolbar-content">
            <Button kind="primary" size="md" renderIcon={Add} onClick={() => setEditing({ matter: null })}>
              Add matter
            </Button>
          </div>
        </div>
        <Table aria-label="Matters" size="md">
          <TableHead>
            <TableRow>
              <TableHeader>Code</TableHeader>
              <TableHeader>Name</TableHeader>
              <TableHeader>Billing</TableHeader>
              <TableHeader>Budget</TableHeader>
              <TableHeader>Rounding</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>
                <span className="tab-visually-hidden">Actions</span>
              </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.length === 0 && (
              <TableRow>
                <TableCell colSpan={7} className="tab-muted">
                  No matters yet: entries for this client are billed at the client’s rules.
                </TableCell>
              </TableRow>
            )}
            {list.map((matter) => (
              <TableRow key={matter.id} data-testid="matter-row">
                <TableCell>{matter.code}</TableCell>
                <TableCell>{matter.name}</TableCell>
                <TableCell>{matter.billingType === 'fixed' ? `Fixed fee ${formatMoney({ currency: client.currency, amountCents: matter.fixedFeeCents ?? 0 })}` : 'Hourly'}</TableCell>
                <TableCell>{budgetText(matter.budget, client.currency)}</TableCell>
                <TableCell>{matter.rounding ? roundingText(matter.rounding) : <span className="tab-muted">Client’s rule</span>}</TableCell>
                <TableCell>
                  <Tag type={matter.closed ? 'gray' : 'green'} size="sm">
                    {matter.closed ? 'Closed' : 'Open'}
                  </Tag>
                </TableCell>
                <TableCell className="tab-entries-table__actions">
                  <IconButton kind="ghost" size="sm" align="left" label={`Edit ${matter.code}`} onClick={() => setEditing({ matter })} disabled={busy !== null}>
                    <Edit />
                  </IconButton>
                  <IconButton kind="ghost" size="sm" align="left" label={matter.closed ? `Reopen ${matter.code}` : `Close ${matter.code}`} onClick={() => void setClosed(matter, !matter.closed)} disabled={busy !== null}>
                    {matter.closed ? <Unlocked /> : <Locked />}
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {editing && (
        <MatterModal
          client={client}
          matter={editing.matter}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            onNotice({ kind: 'success', title: `${saved.code} saved` });
            onChanged();
          }}
        />
      )}
    </>
  );
}

type BudgetKind = 'none' | 'hours' | 'amount';

export function MatterModal({ client, matter, onClose, onSaved }: { client: Client; matter: Matter | null; onClose(): void; onSaved(matter: Matter): void }) {
  const { backend } = useSignedIn();
  const [code, setCode] = useState(matter?.code ?? '');
  const [name, setName] = useState(matter?.name ?? '');
  const [billingType, setBillingType] = useState<BillingType>(matter?.billingType ?? 'hourly');
  const [fee, setFee] = useState(matter?.fixedFeeCents != null ? (matter.fixedFeeCents / 100).toFixed(2) : '');
  const initialKind: BudgetKind = matter?.budget == null ? 'none' : 'minutes' in matter.budget ? 'hours' : 'amount';
  const [budgetKind, setBudgetKind] = useState<BudgetKind>(initialKind);
  const [budgetValue, setBudgetValue] = useState(() => {
    if (!matter?.budget) return '';
    return 'minutes' in matter.budget ? formatDuration(matter.budget.minutes * 60_000) : (matter.budget.amountCents / 100).toFixed(2);
  });
  const [ownRounding, setOwnRounding] = useState(matter?.rounding != null);
  const [rounding, setRounding] = useState<RoundingRule>(matter?.rounding ?? client.rounding);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const feeCents = parseRate(fee);
  const budgetMinutes = budgetKind === 'hours' ? parseDuration(budgetValue) : null;
  const budgetCents = budgetKind === 'amount' ? parseRate(budgetValue) : null;
  const codeError = code.trim() === '' ? 'Enter a code, such as TAX-2026.' : null;
  const nameError = name.trim() === '' ? 'Enter the matter’s name.' : null;
  const feeError = billingType === 'fixed' && feeCents === null ? 'Enter the fee, such as 1500 or 1500.00.' : null;
  const budgetError =
    budgetKind === 'hours' && !budgetMinutes ? 'Enter hours, such as 40, 12:30 or 12.5.' : budgetKind === 'amount' && !budgetCents ? 'Enter an amount, such as 5000.' : null;

  async function submit() {
    setTouched(true);
    if (codeError || nameError || feeError || budgetError) return;
    const budget: Budget = budgetKind === 'hours' ? { minutes: budgetMinutes! } : budgetKind === 'amount' ? { amountCents: budgetCents! } : null;
    const body: Omit<CreateMatterRequest, 'clientId'> = {
      code: code.trim(),
      name: name.trim(),
      billingType,
      fixedFeeCents: billingType === 'fixed' ? feeCents : null,
      budget,
      rounding: ownRounding ? rounding : null,
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(matter ? await backend.api.updateMatter(matter.id, body) : await backend.api.createMatter({ clientId: client.id, ...body }));
    } catch (caught) {
      setError(setupErrorMessage(caught, CODE_TAKEN));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      size="sm"
      modalHeading={matter ? `Edit ${matter.code}` : `Add a matter for ${client.name}`}
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
          {error && <InlineNotification kind="error" lowContrast role="alert" hideCloseButton title="The matter was not saved" subtitle={error} />}
          <TextInput id="tab-matter-code" labelText="Code" helperText="Unique for this client, e.g. TAX-2026" value={code} maxLength={40} onChange={(e) => setCode(e.target.value)} invalid={touched && codeError !== null} invalidText={codeError ?? undefined} />
          <TextInput id="tab-matter-name" labelText="Name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} invalid={touched && nameError !== null} invalidText={nameError ?? undefined} />
          <Select id="tab-matter-billing" labelText="Billing" value={billingType} onChange={(e) => setBillingType(e.target.value as BillingType)}>
            <SelectItem value="hourly" text="Hourly (time × rate)" />
            <SelectItem value="fixed" text="Fixed fee" />
          </Select>
          {billingType === 'fixed' && (
            <TextInput id="tab-matter-fee" labelText={`Fixed fee (${client.currency})`} inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} invalid={touched && feeError !== null} invalidText={feeError ?? undefined} />
          )}
          <Select id="tab-matter-budget-kind" labelText="Budget" value={budgetKind} onChange={(e) => setBudgetKind(e.target.value as BudgetKind)}>
            <SelectItem value="none" text="No budget" />
            <SelectItem value="hours" text="Hours" />
            <SelectItem value="amount" text={`Amount (${client.currency})`} />
          </Select>
          {budgetKind !== 'none' && (
            <TextInput
              id="tab-matter-budget"
              labelText={budgetKind === 'hours' ? 'Budget hours' : `Budget amount (${client.currency})`}
              inputMode="decimal"
              value={budgetValue}
              onChange={(e) => setBudgetValue(e.target.value)}
              invalid={touched && budgetError !== null}
              invalidText={budgetError ?? undefined}
            />
          )}
          <Toggle id="tab-matter-own-rounding" labelText="Own rounding rule" labelA={`Client’s: ${roundingText(client.rounding)}`} labelB="This matter’s rule below" toggled={ownRounding} onToggle={(on: boolean) => setOwnRounding(on)} size="sm" />
          {ownRounding && <RoundingFields idPrefix="tab-matter-rounding" rule={rounding} onChange={setRounding} />}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </Stack>
      </form>
    </Modal>
  );
}
