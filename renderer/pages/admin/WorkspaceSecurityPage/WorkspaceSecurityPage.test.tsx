import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_SESSION_POLICY } from '../../../../shared/api/admin.js';
import { admin, fakeBackend, renderSignedIn } from '../../../test-support/fake-backend.js';
import { inactivityOutlastsAbsolute } from './policy-options.js';
import { WorkspaceSecurityPage } from './WorkspaceSecurityPage.js';

describe('Security › Session policy', () => {
  it('warns, before saving, when the inactivity timeout could never apply', async () => {
    const fake = fakeBackend({ 'GET /api/v1/admin/session-policy': () => DEFAULT_SESSION_POLICY });
    renderSignedIn(<WorkspaceSecurityPage />, { backend: fake.backend, user: admin, path: '/security/session-policy' });
    const inactivity = await screen.findByLabelText('Sign out after inactivity');
    expect(screen.queryByTestId('policy-warning')).toBeNull(); // 7 days idle, 30 days at most: fine
    const user = userEvent.setup();
    await user.selectOptions(inactivity, '43200'); // 30 days
    await user.selectOptions(screen.getByLabelText('Sign out after, at most'), '7');
    expect(screen.getByTestId('policy-warning')).toHaveTextContent('The inactivity timeout never applies');
    expect(screen.getByTestId('policy-warning')).toHaveTextContent('Every session ends 7 days after sign-in, before it could be unused for 30 days.');
    await user.selectOptions(inactivity, '10080'); // 7 days: equal, the idle timer can still tie
    expect(screen.queryByTestId('policy-warning')).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Security' })).toBeInTheDocument();
  });

  it('compares in the same unit', () => {
    expect(inactivityOutlastsAbsolute({ inactivityTimeoutMinutes: 1440, absoluteTimeoutDays: 1 })).toBe(false);
    expect(inactivityOutlastsAbsolute({ inactivityTimeoutMinutes: 10080, absoluteTimeoutDays: 1 })).toBe(true);
  });
});
