import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DesktopSettings as Settings } from '../../../shared/ipc/contract.js';
import { createDesktopBackend } from '../../backend/desktop-backend.js';
import { fakeDesktopBridge } from '../../test-support/bridge.js';
import { DesktopSettings } from './DesktopSettings.js';

function setup(initial: Settings) {
  const set = vi.fn(async (patch: Partial<Settings>) => ({ ok: true as const, value: { ...initial, ...patch } }));
  const { bridge } = fakeDesktopBridge({ getDesktopSettings: async () => ({ ok: true as const, value: initial }), setDesktopSettings: set });
  const onClose = vi.fn();
  render(<DesktopSettings backend={createDesktopBackend(bridge)} open onClose={onClose} />);
  return { set, onClose };
}

describe('DesktopSettings (desktop only)', () => {
  it('offers off, 5, 10 (default), 15 and 30 minutes, and saves the choice', async () => {
    const { set, onClose } = setup({ idleThresholdMinutes: 10, uploadCrashReports: false, crashReportUrl: null });
    expect(await screen.findByRole('radio', { name: 'After 10 minutes (default)' })).toBeChecked();
    for (const name of ['Never ask', 'After 5 minutes', 'After 15 minutes', 'After 30 minutes']) expect(screen.getByRole('radio', { name })).toBeInTheDocument();
    expect(screen.queryByText('Crash reports')).toBeNull(); // no crash-report address here
    await userEvent.click(screen.getByRole('radio', { name: 'Never ask' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(set).toHaveBeenCalledWith({ idleThresholdMinutes: 0 });
  });

  it('crash reports: only where an address is configured, off by default, named', async () => {
    const { set } = setup({ idleThresholdMinutes: 15, uploadCrashReports: false, crashReportUrl: 'https://crashes.tab.example.com/submit' });
    expect(await screen.findByText('Kept on this computer only')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('switch'));
    expect(screen.getByText('Also sent to crashes.tab.example.com')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(set).toHaveBeenCalledWith({ idleThresholdMinutes: 15, uploadCrashReports: true }));
  });

  it('shows the server it signs in to, and warns that passkeys cannot work when it is an IP address', async () => {
    const settings = { idleThresholdMinutes: 10 as const, uploadCrashReports: false, crashReportUrl: null };
    for (const [serverUrl, warns] of [['https://10.0.0.5', true], ['https://tab.yourfirm.com', false]] as const) {
      const { bridge } = fakeDesktopBridge({
        getDesktopSettings: async () => ({ ok: true as const, value: settings }),
        getState: async () => ({ ok: true as const, value: { status: 'signed-out' as const, serverUrl, reason: null } }),
      });
      const { unmount } = render(<DesktopSettings backend={createDesktopBackend(bridge)} open onClose={vi.fn()} />);
      const server = await screen.findByTestId('desktop-server');
      expect(server).toHaveTextContent(serverUrl);
      if (warns) expect(server).toHaveTextContent('not an IP address');
      else expect(server).not.toHaveTextContent('passkey');
      unmount();
    }
  });
});
