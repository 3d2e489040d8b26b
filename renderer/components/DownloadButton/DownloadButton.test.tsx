import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createDesktopBackend } from '../../backend/desktop-backend.js';
import { createWebBackend } from '../../backend/web-backend.js';
import { fakeDesktopBridge } from '../../test-support/bridge.js';
import { DownloadButton } from './DownloadButton.js';

const path = '/api/v1/reports/entries.csv?from=2026-11-01T00%3A00%3A00.000Z&to=2026-12-01T00%3A00%3A00.000Z';

describe('DownloadButton', () => {
  it('web: a plain link the browser downloads with the session cookie', () => {
    render(
      <DownloadButton backend={createWebBackend({ fetch: async () => new Response('{}') })} path={path} fileName="tab-entries.csv">
        Download CSV
      </DownloadButton>,
    );
    const link = screen.getByRole('link', { name: 'Download CSV' });
    expect(link).toHaveAttribute('href', path);
    expect(link).toHaveAttribute('download', 'tab-entries.csv');
  });

  it('desktop: asks main to save it (the save dialog), then says where', async () => {
    const saveDownload = vi.fn(async () => ({ ok: true as const, value: { saved: true, fileName: 'november.csv' } }));
    const { bridge } = fakeDesktopBridge({ saveDownload });
    render(
      <DownloadButton backend={createDesktopBackend(bridge)} path={path} fileName="tab-entries.csv">
        Download CSV
      </DownloadButton>,
    );
    expect(screen.queryByRole('link')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(saveDownload).toHaveBeenCalledWith({ path, suggestedName: 'tab-entries.csv' });
    expect(await screen.findByText('Saved as november.csv')).toBeInTheDocument();
  });

  it('desktop: cancelled says nothing; a failure says why', async () => {
    const saveDownload = vi
      .fn()
      .mockResolvedValueOnce({ ok: true, value: { saved: false, fileName: null } })
      .mockResolvedValueOnce({ ok: false, error: { status: 0, code: 'network_error', message: 'offline' } });
    const { bridge } = fakeDesktopBridge({ saveDownload });
    render(
      <DownloadButton backend={createDesktopBackend(bridge)} path={path} fileName="x.csv">
        Download CSV
      </DownloadButton>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(screen.queryByText(/Saved as/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(await screen.findByText('The TAB server is unreachable. Check your connection.')).toBeInTheDocument();
  });
});
