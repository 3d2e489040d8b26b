import { useEffect, useState } from 'react';
import { Button, ComposedModal, InlineNotification, ModalBody, ModalFooter, ModalHeader } from '@carbon/react';
import type { IdleAction, IdlePrompt as Prompt } from '../../../shared/ipc/contract.js';
import { formatDuration } from '../../../shared/time/duration.js';
import type { Backend } from '../../backend/backend.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useDisplay } from '../../time/display-context.js';
import './IdlePrompt.scss';

export interface IdlePromptDialogProps {
  prompt: Prompt;
  busy: boolean;
  error: string | null;
  onAnswer(action: IdleAction): void;
}

/**
 * "You were away 0:25": the timer kept running while the computer was idle,
 * asleep or locked for longer than the person's threshold. Three answers:
 * keep the time, discard it (the entry ends when they left and the same work
 * starts again when they came back), or stop the timer when they left.
 * Closing the dialog keeps the time — nothing is ever removed by default.
 */
export function IdlePromptDialog({ prompt, busy, error, onAnswer }: IdlePromptDialogProps) {
  const display = useDisplay();
  const left = display.time(prompt.awayFrom);
  const back = display.time(prompt.returnedAt);
  return (
    <ComposedModal
      open
      size="sm"
      preventCloseOnClickOutside
      // Enter or Escape by habit keeps the time: the one answer that removes nothing.
      selectorPrimaryFocus=".tab-idle-prompt__keep"
      onClose={() => (busy ? false : onAnswer('keep'))}
      aria-label="Idle time"
      className="tab-idle-prompt"
      data-testid="idle-prompt"
    >
      <ModalHeader label="Timer" title={`You were away ${formatDuration(prompt.awayMs)}`} />
      <ModalBody>
        <p className="tab-idle-prompt__text">
          Your timer kept running from {left} to {back} while this computer was idle, asleep or locked.
        </p>
        {error && <InlineNotification kind="error" lowContrast hideCloseButton title="Not changed" subtitle={error} />}
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" className="tab-idle-prompt__keep" disabled={busy} onClick={() => onAnswer('keep')}>
          Keep
        </Button>
        <Button kind="secondary" disabled={busy} onClick={() => onAnswer('stop')}>
          Stop at {left}
        </Button>
        <Button kind="primary" disabled={busy} onClick={() => onAnswer('discard')}>
          Discard the idle time
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}

/**
 * Desktop only: shows main's pending idle prompt and sends the answer back.
 * The answer is written like any time write (local queue first), so it works offline.
 */
export function IdlePrompt({ backend }: { backend: Backend }) {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      backend.idle?.onPrompt((next) => {
        setPrompt(next);
        setError(null);
      }),
    [backend],
  );
  if (!prompt || !backend.idle) return null;

  async function answer(action: IdleAction) {
    if (!prompt || !backend.idle) return;
    setBusy(true);
    setError(null);
    try {
      await backend.idle.answer(prompt.promptId, action);
      setPrompt((current) => (current?.promptId === prompt.promptId ? null : current));
    } catch (caught) {
      setError(callErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return <IdlePromptDialog prompt={prompt} busy={busy} error={error} onAnswer={(action) => void answer(action)} />;
}
