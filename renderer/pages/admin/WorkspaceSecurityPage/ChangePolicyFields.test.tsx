import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_SESSION_POLICY } from '../../../../shared/api/admin.js';
import { ChangePolicyFields } from './ChangePolicyFields.js';

describe('ChangePolicyFields', () => {
  it('offers off / notify / reauth in words for both changes, and reports a choice', async () => {
    const onChange = vi.fn();
    render(<ChangePolicyFields draft={DEFAULT_SESSION_POLICY} disabled={false} onChange={onChange} />);
    const country = screen.getByLabelText('When a session is used from another country');
    expect(country).toHaveValue('notify');
    expect([...(country as HTMLSelectElement).options].map((o) => o.text)).toEqual(['Do nothing', 'Alert the member and record it', 'Sign the session out']);
    await userEvent.selectOptions(country, 'reauth');
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_SESSION_POLICY, ipChangePolicy: 'reauth' });
    await userEvent.selectOptions(screen.getByLabelText('When a session is used from another browser or operating system'), 'off');
    expect(onChange).toHaveBeenLastCalledWith({ ...DEFAULT_SESSION_POLICY, userAgentChangePolicy: 'off' });
  });

  it('is read-only for managers', () => {
    render(<ChangePolicyFields draft={DEFAULT_SESSION_POLICY} disabled onChange={() => {}} />);
    expect(screen.getByLabelText('When a session is used from another country')).toBeDisabled();
  });
});
