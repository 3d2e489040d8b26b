import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ApiToken } from '../../../shared/api/api-tokens.js';
import { MemberApiTokens } from './MemberApiTokens.js';

const tokens: ApiToken[] = [
  { id: 'a', name: 'Ana’s sync', scopes: ['time:read', 'time:write'], createdAt: '2026-11-01T09:00:00.000Z', expiresAt: null, lastUsedAt: null },
];

function fakeApi() {
  let list = [...tokens];
  return {
    listMemberApiTokens: vi.fn(async () => ({ tokens: [...list] })),
    revokeMemberApiToken: vi.fn(async (_userId: string, id: string) => {
      list = list.filter((t) => t.id !== id);
    }),
  };
}

describe('MemberApiTokens', () => {
  it('an admin sees the member’s tokens and revokes one', async () => {
    const api = fakeApi();
    render(<MemberApiTokens api={api} userId="u-ana" memberName="Ana" canRevoke />);
    expect(await screen.findByRole('list', { name: 'API tokens of Ana' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke Ana’s sync' }));
    expect(api.revokeMemberApiToken).toHaveBeenCalledWith('u-ana', 'a');
    expect(await screen.findByText('No API tokens.')).toBeInTheDocument();
  });

  it('a manager only looks', async () => {
    render(<MemberApiTokens api={fakeApi()} userId="u-ana" memberName="Ana" canRevoke={false} />);
    expect(await screen.findByText('Ana’s sync')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
  });

  it('reloads when the page says something else may have ended them', async () => {
    const api = fakeApi();
    const { rerender } = render(<MemberApiTokens api={api} userId="u-ana" memberName="Ana" canRevoke reloadKey={0} />);
    await screen.findByText('Ana’s sync');
    rerender(<MemberApiTokens api={api} userId="u-ana" memberName="Ana" canRevoke reloadKey={1} />);
    await waitFor(() => expect(api.listMemberApiTokens).toHaveBeenCalledTimes(2));
  });
});
