import { useMemo, useState, type FormEvent } from 'react';
import { Button, ComboBox, Form, Select, SelectItem, Stack, Tile } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import type { Clock, DateFormat, User } from '../../../shared/api/auth.js';
import type { TabApi } from '../../../shared/api/client.js';
import type { UpdateMeRequest } from '../../../shared/api/time.js';
import { callErrorMessage } from '../../auth/messages.js';
import { browserTimeZone, createDisplay } from '../../time/display.js';
import { timeZoneOptions, type ZoneOption } from '../../time/time-zones.js';
import { PageNotification, type Notice } from '../PageNotification/index.js';
import './PreferencesSection.scss';

export interface PreferencesSectionProps {
  user: User;
  api: Pick<TabApi, 'updateMe'>;
  /** The computer's zone (injected in tests); offered when it differs from the saved one. */
  suggestedZone?: string;
  onSaved(user: User): void;
}

/** An example instant for the format choices: 14:05 on 23 November. */
const SAMPLE = Date.UTC(2026, 10, 23, 14, 5);
const CLOCK_CHOICES: { value: Clock; text: (sample: string) => string }[] = [
  { value: 'auto', text: (s) => `As my language writes it (${s})` },
  { value: '12h', text: () => '12-hour (2:05 PM)' },
  { value: '24h', text: () => '24-hour (14:05)' },
];
const DATE_CHOICES: { value: DateFormat; text: string }[] = [
  { value: 'auto', text: 'As my language writes it' },
  { value: 'dmy', text: 'Day month year (23 Nov 2026)' },
  { value: 'mdy', text: 'Month day year (Nov 23, 2026)' },
  { value: 'ymd', text: 'Year-month-day (2026-11-23)' },
];

const profileOf = (user: User) => ({ name: user.name, timeZone: user.timeZone ?? 'UTC', clock: user.clock ?? 'auto', dateFormat: user.dateFormat ?? 'auto' });

/**
 * How TAB shows you and reads time for you: your name, the IANA time zone
 * that decides "today", "this week" and every date and time on screen, and
 * 12 h / 24 h times and the date order. The computer's own zone is offered
 * when it differs, since a new account starts on UTC.
 */
export function PreferencesSection({ user, api, suggestedZone = browserTimeZone(), onSaved }: PreferencesSectionProps) {
  // What the server has: from the signed-in user, then from each answer (the page may re-render before the app's user follows).
  const [saved, setSaved] = useState(() => profileOf(user));
  const [draft, setDraft] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const options = useMemo(() => timeZoneOptions(Date.now(), [saved.timeZone, suggestedZone]), [saved.timeZone, suggestedZone]);
  const selected = options.find((o) => o.id === draft.timeZone) ?? null;
  const suggestion = suggestedZone !== draft.timeZone ? (options.find((o) => o.id === suggestedZone) ?? null) : null;
  const autoClock = createDisplay('UTC').time(SAMPLE);
  const changes: UpdateMeRequest = {
    ...(draft.name.trim() !== saved.name ? { name: draft.name.trim() } : {}),
    ...(draft.timeZone !== saved.timeZone ? { timeZone: draft.timeZone } : {}),
    ...(draft.clock !== saved.clock ? { clock: draft.clock } : {}),
    ...(draft.dateFormat !== saved.dateFormat ? { dateFormat: draft.dateFormat } : {}),
  };

  const save = async (change: UpdateMeRequest) => {
    if (busy || Object.keys(change).length === 0) return;
    if (change.name !== undefined && change.name === '') {
      setNameError('Enter your name.');
      return;
    }
    setBusy(true);
    setNotice(null);
    setNameError(null);
    try {
      const me = await api.updateMe(change);
      setSaved(profileOf(me.user));
      setDraft(profileOf(me.user));
      onSaved(me.user);
      setNotice({
        kind: 'success',
        title: change.timeZone ? 'Time zone saved' : 'Profile saved',
        subtitle: change.timeZone ? `“Today”, “this week” and every time on screen now follow ${me.user.timeZone ?? change.timeZone}.` : undefined,
      });
    } catch (caught) {
      setNotice({ kind: 'error', title: 'Your profile was not saved', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tile className="tab-profile__section" data-testid="preferences-section">
      <h2 className="tab-section-title tab-profile__heading">Name, time zone and formats</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <Form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          void save(changes);
        }}
        aria-label="Name, time zone and formats"
      >
        <Stack gap={6}>
          <TextInput
            id="tab-profile-name"
            labelText="Your name"
            helperText="As your firm sees it in lists, reports and the audit log."
            value={draft.name}
            maxLength={200}
            autoComplete="name"
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            invalid={nameError !== null}
            invalidText={nameError ?? undefined}
            disabled={busy}
          />
          <ComboBox<ZoneOption>
            id="tab-profile-zone"
            titleText="Your time zone"
            helperText="Decides where your days and weeks start, on every device."
            items={options}
            itemToString={(item) => item?.text ?? ''}
            selectedItem={selected}
            onChange={({ selectedItem }) => selectedItem && setDraft({ ...draft, timeZone: selectedItem.id })}
            shouldFilterItem={({ item, inputValue }) => !inputValue || item.text.toLowerCase().includes(inputValue.toLowerCase())}
            disabled={busy}
          />
          {suggestion && (
            <div className="tab-profile__suggestion" data-testid="zone-suggestion">
              <p>
                This computer is set to <strong>{suggestion.text}</strong>.
              </p>
              <Button kind="tertiary" size="sm" disabled={busy} onClick={() => void save({ timeZone: suggestion.id })}>
                Use {suggestion.id}
              </Button>
            </div>
          )}
          <Select id="tab-profile-clock" labelText="Times of day" value={draft.clock} onChange={(e) => setDraft({ ...draft, clock: e.target.value as Clock })} disabled={busy}>
            {CLOCK_CHOICES.map((c) => (
              <SelectItem key={c.value} value={c.value} text={c.text(autoClock)} />
            ))}
          </Select>
          <Select id="tab-profile-date-format" labelText="Dates" value={draft.dateFormat} onChange={(e) => setDraft({ ...draft, dateFormat: e.target.value as DateFormat })} disabled={busy}>
            {DATE_CHOICES.map((c) => (
              <SelectItem key={c.value} value={c.value} text={c.text} />
            ))}
          </Select>
          <div>
            <Button type="submit" kind="primary" disabled={busy || Object.keys(changes).length === 0}>
              {busy ? 'Saving…' : 'Save'}
            </Button>
          </div>
        </Stack>
      </Form>
    </Tile>
  );
}
