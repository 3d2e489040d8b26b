import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { HttpRequest } from '../../../../shared/api/client.js';
import { admin, fakeBackend, renderSignedIn } from '../../../test-support/fake-backend.js';
import { WorkspaceSettingsPage } from './WorkspaceSettingsPage.js';

describe('Settings › Workspace', () => {
  it('sends only what changed, and says so', async () => {
    const sent: unknown[] = [];
    let settings = { name: 'Demo firm', address: '', timeZone: 'UTC', requireApprovedWeeks: false, descriptionRequired: false };
    const fake = fakeBackend({
      'GET /api/v1/workspace': () => settings,
      'PATCH /api/v1/admin/workspace': (request: HttpRequest) => {
        sent.push(request.body);
        settings = { ...settings, ...(request.body as object) };
        return settings;
      },
    });
    renderSignedIn(<WorkspaceSettingsPage />, { backend: fake.backend, user: admin, path: '/settings/workspace' });
    const user = userEvent.setup();
    const save = await screen.findByRole('button', { name: 'Save settings' });
    expect(save).toBeDisabled();
    await user.type(screen.getByLabelText('Address'), '1 Ledger Lane');
    await user.click(screen.getByRole('checkbox', { name: 'Description required on entries' }));
    await user.click(save);
    await waitFor(() => expect(sent).toEqual([{ address: '1 Ledger Lane', descriptionRequired: true }]));
    expect(await screen.findByText('Workspace settings saved')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Require approved weeks before billing' })).not.toBeChecked();
    // Says what it does now that team timesheets exist (it once said "Takes effect with team timesheets").
    expect(screen.getByRole('checkbox', { name: 'Require approved weeks before billing' })).toHaveAccessibleDescription(
      'Mark billed and new invoices take only time from weeks a manager has approved in Team › Timesheets.',
    );
  });
});
