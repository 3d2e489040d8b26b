import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../shared/api/client.js';
import { ana } from '../../test-support/fake-backend.js';
import { PreferencesSection } from './PreferencesSection.js';

const answer = (timeZone: string) => ({ user: { ...ana, timeZone }, session: null });

describe('PreferencesSection (time zone)', () => {
  it('offers the computer’s zone when it differs from the saved one, and saves it in one click', async () => {
    const updateMe = vi.fn(async ({ timeZone }: { timeZone: string }) => answer(timeZone));
    const onSaved = vi.fn();
    render(<PreferencesSection user={ana} api={{ updateMe }} suggestedZone="Europe/Berlin" onSaved={onSaved} />);
    expect(screen.getByRole('combobox', { name: 'Your time zone' })).toHaveValue('UTC');
    expect(screen.getByTestId('zone-suggestion')).toHaveTextContent(/This computer is set to Europe\/Berlin \(UTC\+0[12]:00\)/);
    expect(screen.getByRole('button', { name: 'Save time zone' })).toBeDisabled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Use Europe/Berlin' }));
    expect(updateMe).toHaveBeenCalledWith({ timeZone: 'Europe/Berlin' });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith({ ...ana, timeZone: 'Europe/Berlin' }));
    expect(await screen.findByText('Time zone saved')).toBeInTheDocument();
    expect((screen.getByRole('combobox', { name: 'Your time zone' }) as HTMLInputElement).value).toMatch(/^Europe\/Berlin \(UTC/);
    expect(screen.queryByTestId('zone-suggestion')).toBeNull();
  });

  it('says nothing about the computer when it is in the saved zone; picks any zone by typing', async () => {
    const updateMe = vi.fn(async ({ timeZone }: { timeZone: string }) => answer(timeZone));
    render(<PreferencesSection user={ana} api={{ updateMe }} suggestedZone="UTC" onSaved={() => {}} />);
    expect(screen.queryByTestId('zone-suggestion')).toBeNull();
    const user = userEvent.setup();
    const box = screen.getByRole('combobox', { name: 'Your time zone' });
    await user.clear(box);
    await user.type(box, 'auckland');
    await user.click(await screen.findByRole('option', { name: /Pacific\/Auckland/ }));
    await user.click(screen.getByRole('button', { name: 'Save time zone' }));
    expect(updateMe).toHaveBeenCalledWith({ timeZone: 'Pacific/Auckland' });
  });

  it('keeps the choice and says why when the server refuses it', async () => {
    const updateMe = vi.fn(async () => {
      throw new ApiError(400, 'invalid_request', 'Invalid body.timeZone: "Mars/Olympus" is not an IANA time zone.');
    });
    render(<PreferencesSection user={ana} api={{ updateMe }} suggestedZone="Asia/Kolkata" onSaved={() => {}} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Use Asia/Kolkata' }));
    expect(await screen.findByText('The time zone was not saved')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('is not an IANA time zone');
  });
});
