import { useEffect, useState } from 'react';
import { InlineLoading, InlineNotification, Modal, RadioButton, RadioButtonGroup, Stack, Toggle } from '@carbon/react';
import { passkeysUnavailableAt } from '../../../shared/api/passkeys.js';
import { IDLE_THRESHOLD_CHOICES, type DesktopSettings as Settings, type IdleThresholdMinutes } from '../../../shared/ipc/contract.js';
import type { Backend } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';

export interface DesktopSettingsProps {
  backend: Backend;
  open: boolean;
  onClose(): void;
}

const thresholdLabel = (minutes: IdleThresholdMinutes) => (minutes === 0 ? 'Never ask' : `After ${minutes} minutes${minutes === 10 ? ' (default)' : ''}`);

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/**
 * Desktop only: the desktop app's own settings. When to ask about idle time
 * with a timer running (off, 5, 10 — the default — 15 or 30 minutes), and,
 * where this installation has a crash-report address, whether crash reports
 * may be sent there (off by default; they are always kept on this computer).
 * It also shows the server this app signs in to, and says when passkey
 * sign-in cannot work with it (an IP address: WebAuthn needs a host name);
 * the address itself is changed on the sign-in page.
 */
export function DesktopSettings({ backend, open, onClose }: DesktopSettingsProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [threshold, setThreshold] = useState<IdleThresholdMinutes>(10);
  const [upload, setUpload] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverUrl, setServerUrl] = useState<string | null>(null);

  useEffect(() => {
    if (!open || !backend.desktopSettings) return;
    let live = true;
    setError(null);
    backend.serverUrl?.().then(
      (url) => live && setServerUrl(url),
      () => undefined, // The settings still open; the address line is left out.
    );
    backend.desktopSettings.get().then(
      (value) => {
        if (!live) return;
        setSettings(value);
        setThreshold(value.idleThresholdMinutes);
        setUpload(value.uploadCrashReports);
      },
      (caught: unknown) => live && setError(callErrorMessage(caught)),
    );
    return () => {
      live = false;
    };
  }, [backend, open]);

  if (!backend.desktopSettings) return null;

  async function save() {
    if (!backend.desktopSettings) return;
    setBusy(true);
    setError(null);
    try {
      setSettings(await backend.desktopSettings.set({ idleThresholdMinutes: threshold, ...(settings?.crashReportUrl ? { uploadCrashReports: upload } : {}) }));
      onClose();
    } catch (caught) {
      setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      modalHeading="Desktop settings"
      primaryButtonText={busy ? 'Saving…' : 'Save'}
      secondaryButtonText="Cancel"
      primaryButtonDisabled={busy || settings === null}
      onRequestSubmit={() => void save()}
      onRequestClose={onClose}
      size="sm"
      data-testid="desktop-settings"
    >
      {settings === null && !error ? (
        <InlineLoading description="Loading…" />
      ) : (
        <Stack gap={6}>
          {serverUrl && (
            <div data-testid="desktop-server">
              <p className="cds--label">Server</p>
              <p>{serverUrl}</p>
              {passkeysUnavailableAt(serverUrl) && (
                <InlineNotification kind="warning" lowContrast hideCloseButton role="status" title="No passkeys at an IP address." subtitle={passkeysUnavailableAt(serverUrl)!} />
              )}
            </div>
          )}
          <RadioButtonGroup
            legendText="Ask about idle time when a timer runs"
            name="idle-threshold"
            orientation="vertical"
            valueSelected={String(threshold)}
            onChange={(value) => setThreshold(Number(value) as IdleThresholdMinutes)}
            helperText="If this computer is idle, asleep or locked for that long while your timer runs, TAB asks whether to keep that time."
          >
            {IDLE_THRESHOLD_CHOICES.map((minutes) => (
              <RadioButton key={minutes} id={`idle-threshold-${minutes}`} value={String(minutes)} labelText={thresholdLabel(minutes)} />
            ))}
          </RadioButtonGroup>
          {settings?.crashReportUrl && (
            <Toggle
              id="upload-crash-reports"
              labelText="Crash reports"
              labelA="Kept on this computer only"
              labelB={`Also sent to ${hostOf(settings.crashReportUrl)}`}
              toggled={upload}
              onToggle={setUpload}
            />
          )}
          {error && <InlineNotification kind="error" lowContrast hideCloseButton title="Not saved" subtitle={error} />}
        </Stack>
      )}
    </Modal>
  );
}
