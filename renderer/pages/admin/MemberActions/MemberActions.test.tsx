import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Member } from '../../../../shared/api/admin.js';
import { ApiError } from '../../../../shared/api/client.js';
import { MemberActions } from './MemberActions.js';
import { makeMember } from '../../../test-support/members.js';

const member = (overrides: Partial<Member> = {}): Member => makeMember('u-ana', 'Ana Accountant', { email: 'ana@demo.test', activeSessions: 3, ...overrides });
const link = { kind: 'password_reset' as const, url: 'http://tab.test/link#abc', expiresAt: '2026-11-24T09:00:00.000Z', delivery: 'shown' as const };

function api() {
  return {
    changeMemberRole: vi.fn(async (_id: string, body: { role: Member['role'] }) => member({ role: body.role })),
    reissueInvitation: vi.fn(async () => ({ ...link, kind: 'invitation' as const })),
    cancelInvitation: vi.fn(async () => {}),
    issuePasswordReset: vi.fn(async () => link),
    disableMember: vi.fn(async () => {}),
    enableMember: vi.fn(async () => {}),
  };
}

describe('MemberActions', () => {
  it('deactivation asks first, saying every session and API token ends', async () => {
    const a = api();
    const onChanged = vi.fn();
    render(<MemberActions member={member()} self={false} api={a} onChanged={onChanged} onFailed={() => {}} onRemoved={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Deactivate' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate Ana Accountant?' });
    expect(dialog).toHaveTextContent('Ana Accountant is signed out of all 3 sessions at once, and every API token of theirs stops working.');
    expect(a.disableMember).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    expect(a.disableMember).toHaveBeenCalledWith('u-ana');
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ title: 'Ana Accountant is deactivated' }));
  });

  it('a password-reset link: explained, then shown once with its expiry', async () => {
    const a = api();
    render(<MemberActions member={member()} self={false} api={a} onChanged={() => {}} onFailed={() => {}} onRemoved={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Password-reset link' }));
    const ask = screen.getByRole('dialog', { name: 'Password-reset link for Ana Accountant?' });
    expect(ask).toHaveTextContent('every session of theirs ends');
    await user.click(within(ask).getByRole('button', { name: 'Make the link' }));
    const shown = await screen.findByRole('dialog', { name: 'Password-reset link' });
    expect(within(shown).getByLabelText('Link')).toHaveValue('http://tab.test/link#abc');
    expect(shown).toHaveTextContent('It will not be shown again.');
  });

  it('an invited member: a new link, or cancel (asked first); no reset, no deactivation', async () => {
    const a = api();
    const onRemoved = vi.fn();
    render(<MemberActions member={member({ status: 'invited', invitedAt: '2026-11-20T00:00:00.000Z' })} self={false} api={a} onChanged={() => {}} onFailed={() => {}} onRemoved={onRemoved} />);
    expect(screen.queryByRole('button', { name: 'Password-reset link' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Deactivate' })).toBeNull();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'New invitation link' }));
    expect(await screen.findByRole('dialog', { name: 'Invitation link' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await user.click(screen.getByRole('button', { name: 'Cancel invitation' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Cancel the invitation of Ana Accountant?' })).getByRole('button', { name: 'Cancel invitation' }));
    expect(a.cancelInvitation).toHaveBeenCalledWith('u-ana');
    expect(onRemoved).toHaveBeenCalled();
  });

  it('a role change the server refuses (the last admin) says why and puts the old role back', async () => {
    const a = api();
    a.changeMemberRole.mockRejectedValueOnce(new ApiError(409, 'last_admin', 'x'));
    const onFailed = vi.fn();
    render(<MemberActions member={member({ role: 'admin' })} self api={a} onChanged={() => {}} onFailed={onFailed} onRemoved={() => {}} />);
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Change role' })).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Role'), 'manager');
    await user.click(screen.getByRole('button', { name: 'Change role' }));
    expect(onFailed).toHaveBeenCalledWith(expect.objectContaining({ subtitle: 'The firm needs at least one active admin: make someone else an admin first.' }));
    expect(screen.getByLabelText('Role')).toHaveValue('admin');
    // One's own account: no deactivation, no reset link from here.
    expect(screen.queryByRole('button', { name: 'Deactivate' })).toBeNull();
  });
});
