import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../../shared/api/client.js';
import { InviteMemberModal } from './InviteMemberModal.js';

describe('InviteMemberModal', () => {
  it('checks name and e-mail, sends the role, and shows a taken address at its field', async () => {
    const invite = vi.fn().mockRejectedValueOnce(new ApiError(409, 'conflict', 'taken')).mockResolvedValueOnce({ member: { name: 'Ivy' }, link: {} });
    const onInvited = vi.fn();
    render(<InviteMemberModal invite={invite} onInvited={onInvited} onClose={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(screen.getByText('Enter their name.')).toBeInTheDocument();
    expect(screen.getByText('Enter an e-mail address, like ana@firm.example.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Name'), ' Ivy Invitee ');
    await user.type(screen.getByLabelText('E-mail'), 'ivy@demo.test');
    await user.selectOptions(screen.getByLabelText('Role'), 'manager');
    expect(screen.getByText('Also sees everyone’s time, the reports and the members.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(invite).toHaveBeenCalledWith({ name: 'Ivy Invitee', email: 'ivy@demo.test', role: 'manager' });
    expect(await screen.findByText('Someone with this address is already a TAB user.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(onInvited).toHaveBeenCalled();
  });
});
