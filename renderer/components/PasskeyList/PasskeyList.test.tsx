import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PasskeyView } from '../../../shared/api/passkeys.js';
import { DisplayContext } from '../../time/display-context.js';
import { createDisplay } from '../../time/display.js';
import { PasskeyList } from './PasskeyList.js';

// The year-first format already shows the year, so it is not added again.
// 23:30 UTC on 3 March is already 4 March in Tokyo: the dates follow the viewer's zone, not the computer's.
const thisYear = new Date().getUTCFullYear();
const late: PasskeyView = { id: 'p1', name: 'Work laptop', createdAt: `${thisYear}-03-03T23:30:00.000Z`, lastUsedAt: null, backedUp: false };
const old: PasskeyView = { id: 'p2', name: 'YubiKey', createdAt: '2024-06-01T12:00:00.000Z', lastUsedAt: `${thisYear}-03-05T12:00:00.000Z`, backedUp: true };

describe('PasskeyList', () => {
  it("dates in the viewer's zone and date format, the year only when not this one; Remove only with onRemove", async () => {
    const onRemove = vi.fn();
    const { rerender } = render(
      <DisplayContext.Provider value={createDisplay('Asia/Tokyo', { dateFormat: 'ymd' })}>
        <PasskeyList passkeys={[late, old]} label="Your passkeys" rowTestId="row" removeLabel={(p) => `Remove passkey ${p.name}`} onRemove={onRemove} />
      </DisplayContext.Provider>,
    );
    const rows = screen.getAllByTestId('row');
    expect(within(screen.getByRole('list', { name: 'Your passkeys' })).getAllByRole('listitem')).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(new RegExp(`Added \\w+, ${thisYear}-03-04 · not used yet`));
    expect(rows[0]).not.toHaveTextContent('synced');
    expect(rows[1]).toHaveTextContent(new RegExp(`Added Sat, 2024-06-01 · last used \\w+, ${thisYear}-03-05 · synced`));
    const user = userEvent.setup();
    await user.hover(screen.getByRole('button', { name: 'Remove passkey YubiKey' }));
    await user.click(screen.getByRole('button', { name: 'Remove passkey YubiKey' }));
    expect(onRemove).toHaveBeenCalledWith(old);

    rerender(
      <DisplayContext.Provider value={createDisplay('Asia/Tokyo', { dateFormat: 'ymd' })}>
        <PasskeyList passkeys={[late, old]} label="Passkeys of Ana" rowTestId="row" removeLabel={(p) => `Remove ${p.name}`} />
      </DisplayContext.Provider>,
    );
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});
