import { describe, expect, it, vi } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DesktopBridge, IdlePrompt as Prompt } from '../../../shared/ipc/contract.js';
import { createDesktopBackend } from '../../backend/desktop-backend.js';
import { createWebBackend } from '../../backend/web-backend.js';
import { fakeDesktopBridge } from '../../test-support/bridge.js';
import { browserTimeZone, createDisplay } from '../../time/display.js';

const timeOfDay = (iso: string) => createDisplay(browserTimeZone()).time(iso);
import { IdlePrompt } from './IdlePrompt.js';

const prompt: Prompt = {
  promptId: '5f0c3a52-8a4e-4c1b-9d2e-0a1b2c3d4e5f',
  entryId: 'e1',
  awayFrom: '2026-11-23T10:42:00.000Z',
  returnedAt: '2026-11-23T11:07:00.000Z',
  awayMs: 25 * 60_000,
};

function setup(answer: DesktopBridge['answerIdlePrompt'] & ReturnType<typeof vi.fn> = vi.fn(async () => ({ ok: true as const, value: null }))) {
  const fake = fakeDesktopBridge({ getIdlePrompt: async () => ({ ok: true as const, value: null }), answerIdlePrompt: answer });
  render(<IdlePrompt backend={createDesktopBackend(fake.bridge)} />);
  return { ...fake, answer };
}

describe('IdlePrompt (desktop only)', () => {
  it('"You were away 0:25 — Keep / Stop at 10:42 / Discard the idle time", when main pushes a prompt', async () => {
    const { push } = setup();
    expect(screen.queryByTestId('idle-prompt')).toBeNull();
    act(() => push('idlePrompt', prompt));
    expect(await screen.findByText('You were away 0:25')).toBeInTheDocument();
    const left = timeOfDay(prompt.awayFrom);
    expect(screen.getByText(new RegExp(`from ${left} to ${timeOfDay(prompt.returnedAt)}`))).toBeInTheDocument();
    for (const name of ['Keep', `Stop at ${left}`, 'Discard the idle time']) expect(screen.getByRole('button', { name })).toBeInTheDocument();
  });

  it.each([
    ['Discard the idle time', 'discard'],
    ['Keep', 'keep'],
  ])('%s answers %s, and the dialog closes', async (button, action) => {
    const { push, answer } = setup();
    act(() => push('idlePrompt', prompt));
    await userEvent.click(await screen.findByRole('button', { name: button }));
    expect(answer).toHaveBeenCalledWith({ promptId: prompt.promptId, action });
    await waitFor(() => expect(screen.queryByText('You were away 0:25')).toBeNull());
  });

  it('a refused answer (the timer changed meanwhile) is said, in words', async () => {
    const { push } = setup(vi.fn(async () => ({ ok: false as const, error: { status: 409, code: 'conflict' as const, message: 'That question is no longer open.' } })));
    act(() => push('idlePrompt', prompt));
    await userEvent.click(await screen.findByRole('button', { name: `Stop at ${timeOfDay(prompt.awayFrom)}` }));
    expect(await screen.findByText('That question is no longer open.')).toBeInTheDocument();
  });

  it('main withdrawing the prompt (null) closes it; the web shows nothing ever', async () => {
    const { push } = setup();
    act(() => push('idlePrompt', prompt));
    await screen.findByText('You were away 0:25');
    act(() => push('idlePrompt', null));
    await waitFor(() => expect(screen.queryByText('You were away 0:25')).toBeNull());
    const { container } = render(<IdlePrompt backend={createWebBackend({ fetch: async () => new Response('{}') })} />);
    expect(container).toBeEmptyDOMElement();
  });
});
