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
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
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
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updateMe).toHaveBeenCalledWith({ timeZone: 'Pacific/Auckland' });
  });

  it('saves the name, the clock and the date order together, sending only what changed', async () => {
    const updateMe = vi.fn(async (body: Record<string, string>) => ({ user: { ...ana, ...body }, session: null }));
    const onSaved = vi.fn();
    render(<PreferencesSection user={{ ...ana, clock: 'auto', dateFormat: 'auto' }} api={{ updateMe }} suggestedZone="UTC" onSaved={onSaved} />);
    const user = userEvent.setup();
    const name = screen.getByLabelText('Your name');
    await user.clear(name);
    await user.type(name, '  Ana Accountant-Ruiz ');
    await user.selectOptions(screen.getByLabelText('Times of day'), '24h');
    await user.selectOptions(screen.getByLabelText('Dates'), 'ymd');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updateMe).toHaveBeenCalledWith({ name: 'Ana Accountant-Ruiz', clock: '24h', dateFormat: 'ymd' });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ name: 'Ana Accountant-Ruiz', clock: '24h', dateFormat: 'ymd' })));
    expect(await screen.findByText('Profile saved')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  it('asks for a name rather than saving a blank one', async () => {
    const updateMe = vi.fn();
    render(<PreferencesSection user={ana} api={{ updateMe }} suggestedZone="UTC" onSaved={() => {}} />);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Your name'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Enter your name.')).toBeInTheDocument();
    expect(updateMe).not.toHaveBeenCalled();
  });

  it('keeps the choice and says why when the server refuses it', async () => {
    const updateMe = vi.fn(async () => {
      throw new ApiError(400, 'invalid_request', 'Invalid body.timeZone: "Mars/Olympus" is not an IANA time zone.');
    });
    render(<PreferencesSection user={ana} api={{ updateMe }} suggestedZone="Asia/Kolkata" onSaved={() => {}} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Use Asia/Kolkata' }));
    expect(await screen.findByText('Your profile was not saved')).toBeInTheDocument();
    expect(screen.getByText(/is not an IANA time zone/)).toBeInTheDocument();
  });
});
