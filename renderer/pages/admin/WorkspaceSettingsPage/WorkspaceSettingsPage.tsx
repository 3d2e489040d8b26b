import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Button, ComboBox, Form, InlineLoading, Stack, TextArea, Tile } from '@carbon/react';
import { Checkbox, TextInput } from '../../../components/Fields/index.js';
import { WORKSPACE_ADDRESS_MAX, WORKSPACE_NAME_MAX, type UpdateWorkspaceSettings, type WorkspaceSettings } from '../../../../shared/api/workspace.js';
import { ApiError } from '../../../../shared/api/client.js';
import { useSignedIn } from '../../../auth/auth-context.js';
import { callErrorMessage } from '../../../auth/messages.js';
import { PageNotification, type Notice } from '../../../components/PageNotification/index.js';
import { SectionNav } from '../../../components/SectionNav/index.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle.js';
import { timeZoneOptions, type ZoneOption } from '../../../time/time-zones.js';
import './WorkspaceSettingsPage.scss';

/** Settings › Workspace (admins): the firm's name and address for invoices, its time zone, and two rules for time entries. */
export function WorkspaceSettingsPage() {
  useDocumentTitle('Workspace settings');
  const { backend } = useSignedIn();
  const settings = useApiData(() => backend.api.getWorkspace(), 'workspace');
  const [draft, setDraft] = useState<WorkspaceSettings | null>(null);
  const [saved, setSaved] = useState<WorkspaceSettings | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => timeZoneOptions(Date.now(), saved ? [saved.timeZone] : []), [saved]);

  useEffect(() => {
    if (settings.data) {
      setDraft(settings.data);
      setSaved(settings.data);
    }
  }, [settings.data]);

  const changes: UpdateWorkspaceSettings = {};
  if (draft && saved) {
    for (const key of Object.keys(draft) as (keyof WorkspaceSettings)[]) {
      const value = typeof draft[key] === 'string' ? (draft[key] as string).trim() : draft[key];
      if (value !== saved[key]) (changes as Record<string, unknown>)[key] = value;
    }
  }

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !draft || Object.keys(changes).length === 0) return;
    if (changes.name !== undefined && changes.name === '') {
      setNameError('Enter the firm’s name.');
      return;
    }
    setBusy(true);
    setNotice(null);
    setNameError(null);
    try {
      const next = await backend.api.updateWorkspace(changes);
      setDraft(next);
      setSaved(next);
      setNotice({ kind: 'success', title: 'Workspace settings saved' });
    } catch (caught) {
      if (caught instanceof ApiError && caught.isSignedOut) return;
      setNotice({ kind: 'error', title: 'The settings were not saved', subtitle: callErrorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="tab-page__title">Workspace settings</h1>
      <SectionNav />
      <PageNotification notice={notice} onClose={() => setNotice(null)} />
      <PageNotification notice={settings.error ? { kind: 'error', title: 'The settings could not be loaded', subtitle: settings.error } : null} />
      {!draft && settings.loading && <InlineLoading description="Loading the settings…" />}
      {draft && (
        <Form onSubmit={(e) => void save(e)} aria-label="Workspace settings" className="tab-workspace-settings">
          <Tile className="tab-workspace-settings__panel">
            <h2 className="tab-section-title tab-workspace-settings__heading">The firm</h2>
            <Stack gap={6}>
              <TextInput
                id="tab-workspace-name"
                labelText="Firm name"
                helperText="On invoices, and at the top of every invitation."
                value={draft.name}
                maxLength={WORKSPACE_NAME_MAX}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
                invalid={nameError !== null}
                invalidText={nameError ?? undefined}
              />
              <TextArea
                id="tab-workspace-address"
                labelText="Address"
                helperText="As it should print on invoices, one line per line."
                rows={4}
                value={draft.address}
                maxCount={WORKSPACE_ADDRESS_MAX}
                enableCounter
                onChange={(e) => setDraft({ ...draft, address: e.target.value })}
              />
              <ComboBox<ZoneOption>
                id="tab-workspace-zone"
                titleText="Firm time zone"
                helperText="For firm-wide periods: invoice numbering and month ends. Each person’s own “today” follows their profile."
                items={zones}
                itemToString={(item) => item?.text ?? ''}
                selectedItem={zones.find((z) => z.id === draft.timeZone) ?? null}
                onChange={({ selectedItem }) => selectedItem && setDraft({ ...draft, timeZone: selectedItem.id })}
                shouldFilterItem={({ item, inputValue }) => !inputValue || item.text.toLowerCase().includes(inputValue.toLowerCase())}
              />
            </Stack>
          </Tile>
          <Tile className="tab-workspace-settings__panel">
            <h2 className="tab-section-title tab-workspace-settings__heading">Time entries</h2>
            <Stack gap={6}>
              <Checkbox
                id="tab-workspace-description"
                labelText="Description required on entries"
                helperText="A new entry, a started timer or a cleared description is refused without one. Older entries without one can still be corrected."
                checked={draft.descriptionRequired}
                onChange={(_, { checked }) => setDraft({ ...draft, descriptionRequired: checked })}
              />
              <Checkbox
                id="tab-workspace-approved"
                labelText="Require approved weeks before billing"
                helperText="Mark billed and new invoices take only time from weeks a manager has approved in Team › Timesheets."
                checked={draft.requireApprovedWeeks}
                onChange={(_, { checked }) => setDraft({ ...draft, requireApprovedWeeks: checked })}
              />
            </Stack>
          </Tile>
          <div>
            <Button type="submit" kind="primary" disabled={busy || Object.keys(changes).length === 0}>
              {busy ? 'Saving…' : 'Save settings'}
            </Button>
          </div>
        </Form>
      )}
    </>
  );
}
