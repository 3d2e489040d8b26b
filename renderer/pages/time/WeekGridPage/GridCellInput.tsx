import { useEffect, useState } from 'react';
import { formatDuration, parseDuration } from '../../../../shared/time/duration.js';

export interface GridCellInputProps {
  /** What the cell holds now (ms). */
  ms: number;
  /** "Acme Ltd, Tuesday 1 December": what a screen reader says for the cell. */
  label: string;
  disabled?: boolean;
  /** The person typed a duration (whole minutes) and left the cell or pressed Enter. */
  onCommit(minutes: number): void;
  /** What was typed cannot be read as a duration (the cell keeps it, marked, and nothing is saved). */
  onInvalid?(text: string): void;
}

const shown = (ms: number) => (ms === 0 ? '' : formatDuration(ms));

/** One cell of the weekly grid: takes 1:30, 1.5, 1h30 or 90m; says so when it cannot read what was typed. */
export function GridCellInput({ ms, label, disabled, onCommit, onInvalid }: GridCellInputProps) {
  const [text, setText] = useState(shown(ms));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText(shown(ms));
    setInvalid(false);
  }, [ms]);

  function commit() {
    if (text === shown(ms)) return;
    const minutes = text.trim() === '' ? 0 : parseDuration(text);
    if (minutes === null || minutes > 24 * 60) {
      setInvalid(true);
      onInvalid?.(text);
      return;
    }
    setInvalid(false);
    onCommit(minutes);
  }

  return (
    <input
      className={`tab-grid__cell${invalid ? ' tab-grid__cell--invalid' : ''}`}
      aria-label={label}
      aria-invalid={invalid || undefined}
      title={invalid ? 'Type a duration such as 1:30, 1.5, 1h30 or 90m (at most 24 hours)' : undefined}
      inputMode="decimal"
      value={text}
      disabled={disabled}
      placeholder="–"
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
        if (event.key === 'Escape') {
          setText(shown(ms));
          setInvalid(false);
        }
      }}
    />
  );
}
