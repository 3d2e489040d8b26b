import { useMemo, useState, type FormEvent } from 'react';
import { Button, ComboBox, Form, Stack, Tile } from '@carbon/react';
import type { User } from '../../../shared/api/auth.js';
import type { TabApi } from '../../../shared/api/client.js';
import { callErrorMessage } from '../../auth/messages.js';
import { browserTimeZone } from '../../time/display.js';
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

/**
 * How TAB reads time for you: the IANA time zone that decides "today", "this
 * week" and every date and time on screen. The computer's own zone is offered
 * when it differs, since a new account starts on UTC.
 */
export function PreferencesSection({ user, api, suggestedZone = browserTimeZone(), onSaved }: PreferencesSectionProps) {
  const saved = user.timeZone ?? 'UTC';
  const [zone, setZone] = useState(saved);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const options = useMemo(() => timeZoneOptions(Date.now(), [saved, suggestedZone]), [saved, suggestedZone]);
  const selected = options.find((o) => o.id === zone) ?? null;
  const suggestion = suggestedZone !== zone ? (options.find((o) => o.id === suggestedZone) ?? null) : null;

  const save = async (event?: FormEvent, next = zone) => {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setNotice(null);
    try {
      const me = await api.updateMe({ timeZone: next });
      setZone(me.user.timeZone ?? next);
      onSaved(me.user);
      setNotice({ kind: 'success', title: 'Time zone saved', subtitle: `“Today”, “this week” and every time on screen now follow ${me.user.timeZone ?? next}.` });
    } catch (caught) {
      setNotice({ kind: 'error', title: 'The time zone was not saved', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tile className="tab-profile__section" data-testid="preferences-section">
      <h2 className="tab-section-title tab-profile__heading">Time zone</h2>
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <Form onSubmit={(e) => void save(e)} aria-label="Time zone">
        <Stack gap={6}>
          <ComboBox<ZoneOption>
            id="tab-profile-zone"
            titleText="Your time zone"
            helperText="Decides where your days and weeks start, on every device."
            items={options}
            itemToString={(item) => item?.text ?? ''}
            selectedItem={selected}
            onChange={({ selectedItem }) => selectedItem && setZone(selectedItem.id)}
            shouldFilterItem={({ item, inputValue }) => !inputValue || item.text.toLowerCase().includes(inputValue.toLowerCase())}
            disabled={busy}
          />
          {suggestion && (
            <div className="tab-profile__suggestion" data-testid="zone-suggestion">
              <p>
                This computer is set to <strong>{suggestion.text}</strong>.
              </p>
              <Button kind="tertiary" size="sm" disabled={busy} onClick={() => void save(undefined, suggestion.id)}>
                Use {suggestion.id}
              </Button>
            </div>
          )}
          <div>
            <Button type="submit" kind="primary" disabled={busy || zone === saved}>
              {busy ? 'Saving…' : 'Save time zone'}
            </Button>
          </div>
        </Stack>
      </Form>
    </Tile>
  );
}
