import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../../shared/api/client.js';
import type { PasskeyView } from '../../../../shared/api/passkeys.js';
import { MemberPasskeyList } from './MemberPasskeyList.js';

const thisYear = new Date().getUTCFullYear();
const laptop: PasskeyView = { id: 'p1', name: 'Work laptop', createdAt: `${thisYear}-03-04T12:00:00.000Z`, lastUsedAt: null, backedUp: false };
const yubikey: PasskeyView = { id: 'p2', name: 'YubiKey', createdAt: '2024-06-01T12:00:00.000Z', lastUsedAt: `${thisYear}-03-05T12:00:00.000Z`, backedUp: true };

function apiFor(passkeys: PasskeyView[], removal: () => Promise<void> = async () => undefined) {
  let current = passkeys;
  return {
    memberPasskeys: vi.fn(async () => ({ passkeys: current })),
    removeMemberPasskey: vi.fn(async (_userId: string, id: string) => {
      await removal();
      current = current.filter((p) => p.id !== id);
    }),
    reauthOptions: vi.fn(async () => ({ totp: false, passkey: false, sso: null })),
    reauth: vi.fn(async () => ({ grant: 'admin-grant', expiresAt: '2026-12-02T10:00:00.000Z' })),
    reauthPasskeyOptions: vi.fn(),
    reauthPasskey: vi.fn(),
    ssoReauthStart: vi.fn(),
    ssoReauthComplete: vi.fn(),
  };
}

async function confirmWithPassword(dialogName: string) {
  const user = userEvent.setup();
  const dialog = await screen.findByRole('dialog', { name: dialogName });
  await user.type(await within(dialog).findByLabelText('Your password', { selector: 'input' }), 'demo-pass-2026');
  await user.click(within(dialog).getByRole('button', { name: 'Remove passkey' }));
  return dialog;
}

describe('MemberPasskeyList', () => {
  it('lists name, added (with the year when not this one), last used and synced; an admin removes one after a re-check, and the sessions are said to stay', async () => {
    const api = apiFor([laptop, yubikey]);
    const onRemoved = vi.fn();
    render(<MemberPasskeyList api={api} userId="ana" memberName="Ana" canRemove allowSso={false} reloadKey={0} onRemoved={onRemoved} />);
    const rows = await screen.findAllByTestId('member-passkey-row');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/^Work laptopAdded .*Mar 4 · not used yetRemove$/), expect.stringMatching(/^YubiKeyAdded .*Jun 1, 2024 · last used .*Mar 5 · syncedRemove$/)]);

    const user = userEvent.setup();
    await user.hover(screen.getByRole('button', { name: 'Remove Ana’s passkey Work laptop' }));
    await user.click(screen.getByRole('button', { name: 'Remove Ana’s passkey Work laptop' }));
    const dialog = await confirmWithPassword('Remove Ana’s passkey “Work laptop”');
    expect(dialog).toHaveTextContent('Their sessions are not signed out');
    expect(api.removeMemberPasskey).toHaveBeenCalledWith('ana', 'p1', { reauthGrant: 'admin-grant' });
    expect(onRemoved).toHaveBeenCalledWith(expect.objectContaining({ kind: 'success', title: 'Ana’s passkey “Work laptop” was removed' }));
    await vi.waitFor(() => expect(screen.getAllByTestId('member-passkey-row')).toHaveLength(1));
    expect(screen.getByTestId('member-passkey-row')).toHaveTextContent('YubiKey');
  });

  it('a passkey removed meanwhile is reported as already removed, not as a failure', async () => {
    const api = apiFor([laptop], async () => {
      throw new ApiError(404, 'passkey_not_found', 'No such passkey (it may have been removed already).');
    });
    const onRemoved = vi.fn();
    render(<MemberPasskeyList api={api} userId="ana" memberName="Ana" canRemove allowSso={false} reloadKey={0} onRemoved={onRemoved} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Remove Ana’s passkey Work laptop' }));
    await confirmWithPassword('Remove Ana’s passkey “Work laptop”');
    await vi.waitFor(() => expect(onRemoved).toHaveBeenCalledWith(expect.objectContaining({ kind: 'info', title: 'Ana’s passkey “Work laptop” was already removed' })));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('managers see the list without Remove; none says so', async () => {
    render(<MemberPasskeyList api={apiFor([yubikey])} userId="ana" memberName="Ana" canRemove={false} allowSso={false} reloadKey={0} onRemoved={vi.fn()} />);
    expect(await screen.findByTestId('member-passkey-row')).toHaveTextContent('YubiKey');
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    render(<MemberPasskeyList api={apiFor([])} userId="ben" memberName="Ben" canRemove allowSso={false} reloadKey={0} onRemoved={vi.fn()} />);
    expect(await screen.findByText('No passkeys.')).toBeInTheDocument();
  });
});
