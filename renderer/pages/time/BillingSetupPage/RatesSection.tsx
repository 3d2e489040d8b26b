import { useState } from 'react';
import { Button, Select, SelectItem, Table, TableBody, TableCell, TableContainer, TableHead, TableHeader, TableRow, Tag } from '@carbon/react';
import { TextInput } from '../../../components/Fields/index.js';
import type { Matter, Rate, SetRateRequest } from '../../../../shared/api/billing.js';
import type { Member } from '../../../../shared/api/admin.js';
import type { Client } from '../../../../shared/api/time.js';
import { clientRateCandidate, resolveRate, type RateCandidates, type RateLevel } from '../../../../shared/billing/rates.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import type { Notice } from '../../../components/PageNotification/index.js';
import { formatMoney } from '../../../time/format.js';
import { parseRate } from '../ClientsPage/ClientsPage.js';
import { setupErrorMessage } from './messages.js';

export const LEVEL_TEXT: Record<RateLevel | 'none', string> = {
  'member-on-matter': 'Member on matter',
  matter: 'Matter',
  'member-for-client': 'Member for client',
  client: 'Client',
  'member-default': 'Member default',
  none: 'No rate',
};

interface RateLine {
  key: string;
  label: string;
  level: RateLevel;
  cents: number | null;
  /** null removes the rate, so the next level applies. */
  save(cents: number | null): Promise<unknown>;
}

const find = (rates: Rate[], level: RateLevel, userId: string | null, matterId: string | null) =>
  rates.find((r) => r.level === level && (userId === null || r.userId === userId) && (matterId === null || r.matterId === matterId))?.hourlyRateCents ?? null;

/**
 * The rate hierarchy for one client, most specific first, each rate editable
 * where it is shown; and a check that says which level a member's work on a
 * matter is billed at (the same rule the server snapshots on each new entry).
 */
export function RatesSection({
  client,
  matters,
  members,
  rates,
  defaults,
  onChanged,
  onNotice,
}: {
  client: Client;
  matters: Matter[];
  members: Member[];
  /** This client's rates (matter, member on matter, member for client). */
  rates: Rate[];
  /** The members' default rates (every client). */
  defaults: Rate[];
  onChanged(): void;
  onNotice(notice: Notice): void;
}) {
  const { backend } = useSignedIn();
  const open = matters.filter((m) => !m.closed);
  const put = (body: SetRateRequest) => backend.api.setRate(body);
  const nameOf = (userId: string | null) => members.find((m) => m.id === userId)?.name ?? 'A former member';
  const codeOf = (matterId: string | null) => matters.find((m) => m.id === matterId)?.code ?? 'a removed matter';

  const lines: RateLine[] = [
    ...rates
      .filter((r) => r.level === 'member-on-matter')
      .map((r) => ({ key: `mom-${r.userId}-${r.matterId}`, label: `${nameOf(r.userId)} on ${codeOf(r.matterId)}`, level: 'member-on-matter' as const, cents: r.hourlyRateCents, save: (cents: number | null) => put({ userId: r.userId, matterId: r.matterId, hourlyRateCents: cents }) })),
    ...open.map((m) => ({ key: `m-${m.id}`, label: `Matter ${m.code}`, level: 'matter' as const, cents: find(rates, 'matter', null, m.id), save: (cents: number | null) => put({ matterId: m.id, hourlyRateCents: cents }) })),
    ...members.map((u) => ({ key: `mfc-${u.id}`, label: `${u.name} for ${client.name}`, level: 'member-for-client' as const, cents: find(rates, 'member-for-client', u.id, null), save: (cents: number | null) => put({ userId: u.id, clientId: client.id, hourlyRateCents: cents }) })),
    // The client's own rate is its record's: 0 there means "none, use the member's default".
    { key: 'client', label: `All work for ${client.name}`, level: 'client', cents: clientRateCandidate(client.hourlyRateCents), save: (cents: number | null) => backend.api.updateClient(client.id, { hourlyRateCents: cents ?? 0 }) },
    ...members.map((u) => ({ key: `md-${u.id}`, label: `${u.name}, every client`, level: 'member-default' as const, cents: find(defaults, 'member-default', u.id, null), save: (cents: number | null) => put({ userId: u.id, hourlyRateCents: cents }) })),
  ];

  async function saveLine(line: RateLine, cents: number | null) {
    try {
      await line.save(cents);
      onNotice({ kind: 'success', title: cents === null ? `Rate removed: ${line.label}` : `Rate saved: ${line.label}`, subtitle: 'It applies to entries made from now on; existing entries keep their rate.' });
      onChanged();
      return true;
    } catch (caught) {
      onNotice({ kind: 'error', title: `The rate was not saved: ${line.label}`, subtitle: setupErrorMessage(caught) });
      return false;
    }
  }

  return (
    <TableContainer title="Rates" description="Applies to new entries only: an entry keeps the rate it was made with. The most specific rate that is set applies, from the top of this list down. Leave a rate empty to use the next one.">
      <RateCheck client={client} matters={open} members={members} rates={rates} defaults={defaults} />
      <MemberOnMatterForm matters={open} members={members} currency={client.currency} onSave={(userId, matterId, cents) => saveLine({ key: 'new', label: `${nameOf(userId)} on ${codeOf(matterId)}`, level: 'member-on-matter', cents: null, save: (c) => put({ userId, matterId, hourlyRateCents: c }) }, cents)} />
      <Table aria-label="Rates" size="md" className="tab-billing-setup__rates">
        <TableHead>
          <TableRow>
            <TableHeader>Applies to</TableHeader>
            <TableHeader>Hourly rate ({client.currency})</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line) => (
            <RateRow key={`${line.key}:${line.cents}`} line={line} onSave={(cents) => saveLine(line, cents)} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function RateRow({ line, onSave }: { line: RateLine; onSave(cents: number | null): Promise<boolean> }) {
  const shown = line.cents === null ? '' : (line.cents / 100).toFixed(2);
  const [text, setText] = useState(shown);
  const [busy, setBusy] = useState(false);
  const cents = text.trim() === '' ? null : parseRate(text);
  const invalid = text.trim() !== '' && cents === null;
  const dirty = text.trim() !== shown;
  return (
    <TableRow data-testid="rate-row">
      <TableCell>
        <div>{line.label}</div>
        <Tag type="cool-gray" size="sm">
          {LEVEL_TEXT[line.level]}
        </Tag>
      </TableCell>
      <TableCell>
        <form
          className="tab-billing-setup__rate-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (invalid || !dirty) return;
            setBusy(true);
            void onSave(cents).then((ok) => {
              setBusy(false);
              if (ok) setText(cents === null ? '' : (cents / 100).toFixed(2));
            });
          }}
        >
          <TextInput
            id={`tab-rate-${line.key}`}
            labelText={`Rate: ${line.label}`}
            hideLabel
            size="sm"
            inputMode="decimal"
            placeholder="Not set"
            value={text}
            onChange={(e) => setText(e.target.value)}
            invalid={invalid}
            invalidText="Enter an amount such as 120 or 120.50, or leave empty."
          />
          {dirty && (
            <Button type="submit" size="sm" kind="primary" disabled={busy || invalid}>
              {busy ? 'Saving…' : 'Save'}
            </Button>
          )}
        </form>
      </TableCell>
    </TableRow>
  );
}

function MemberOnMatterForm({ matters, members, currency, onSave }: { matters: Matter[]; members: Member[]; currency: string; onSave(userId: string, matterId: string, cents: number): Promise<boolean> }) {
  const [userId, setUserId] = useState('');
  const [matterId, setMatterId] = useState('');
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const cents = parseRate(text);
  if (matters.length === 0 || members.length === 0) return null;
  return (
    <form
      className="tab-billing-setup__inline-form"
      aria-label="Add a member's rate on a matter"
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (!userId || !matterId || cents === null) return;
        void onSave(userId, matterId, cents).then((ok) => {
          if (ok) {
            setText('');
            setTouched(false);
          }
        });
      }}
    >
      <Select id="tab-mom-member" labelText="Member" value={userId} onChange={(e) => setUserId(e.target.value)} invalid={touched && !userId} invalidText="Choose a member.">
        <SelectItem value="" text="Choose a member" />
        {members.map((m) => (
          <SelectItem key={m.id} value={m.id} text={m.name} />
        ))}
      </Select>
      <Select id="tab-mom-matter" labelText="On matter" value={matterId} onChange={(e) => setMatterId(e.target.value)} invalid={touched && !matterId} invalidText="Choose a matter.">
        <SelectItem value="" text="Choose a matter" />
        {matters.map((m) => (
          <SelectItem key={m.id} value={m.id} text={m.code} />
        ))}
      </Select>
      <TextInput id="tab-mom-rate" labelText={`Hourly rate (${currency})`} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} invalid={touched && cents === null} invalidText="Enter an amount such as 120." />
      <Button type="submit" kind="tertiary" size="md">
        Set member’s matter rate
      </Button>
    </form>
  );
}

/** "Ana on TAX-2026 is billed at €150.00 (Matter)": the hierarchy answered for one pair, before anyone saves an entry. */
function RateCheck({ client, matters, members, rates, defaults }: { client: Client; matters: Matter[]; members: Member[]; rates: Rate[]; defaults: Rate[] }) {
  const [userId, setUserId] = useState(members[0]?.id ?? '');
  const [matterId, setMatterId] = useState('');
  const candidates: RateCandidates = {
    'member-on-matter': userId && matterId ? find(rates, 'member-on-matter', userId, matterId) : null,
    matter: matterId ? find(rates, 'matter', null, matterId) : null,
    'member-for-client': userId ? find(rates, 'member-for-client', userId, null) : null,
    client: clientRateCandidate(client.hourlyRateCents),
    'member-default': userId ? find(defaults, 'member-default', userId, null) : null,
  };
  const resolved = resolveRate(candidates);
  return (
    <div className="tab-billing-setup__rate-check" data-testid="rate-check">
      <Select id="tab-check-member" labelText="Which rate applies to" value={userId} onChange={(e) => setUserId(e.target.value)}>
        {members.map((m) => (
          <SelectItem key={m.id} value={m.id} text={m.name} />
        ))}
      </Select>
      <Select id="tab-check-matter" labelText="Working on" value={matterId} onChange={(e) => setMatterId(e.target.value)}>
        <SelectItem value="" text="No matter" />
        {matters.map((m) => (
          <SelectItem key={m.id} value={m.id} text={m.code} />
        ))}
      </Select>
      <p className="tab-billing-setup__rate-answer" aria-live="polite">
        {resolved.level === 'none' ? (
          'No rate is set at any level: this work is billed at 0.'
        ) : (
          <>
            <strong>{formatMoney({ currency: client.currency, amountCents: resolved.hourlyRateCents })}</strong> an hour, from the <strong>{LEVEL_TEXT[resolved.level].toLowerCase()}</strong> rate
          </>
        )}
      </p>
    </div>
  );
}
