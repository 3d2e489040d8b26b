import { Select, SelectItem } from '@carbon/react';
import { ROUNDING_INCREMENTS, ROUNDING_MODES, ROUNDING_SCOPES, type RoundingRule } from '../../../../shared/billing/rounding.js';

const MODE_TEXT: Record<RoundingRule['mode'], string> = { up: 'Up', nearest: 'To the nearest', down: 'Down' };
const SCOPE_TEXT: Record<RoundingRule['scope'], string> = { entry: 'Each entry', 'day-per-matter': 'Each person’s day per matter' };

/** "15 min, up, each entry": how a rule reads in a table. */
export function roundingText(rule: RoundingRule): string {
  return `${rule.incrementMinutes} min, ${MODE_TEXT[rule.mode].toLowerCase()}, ${SCOPE_TEXT[rule.scope].toLowerCase()}`;
}

/** Increment, direction and scope of one rounding rule (a client's, or a matter's override). */
export function RoundingFields({ idPrefix, rule, onChange, disabled }: { idPrefix: string; rule: RoundingRule; onChange(rule: RoundingRule): void; disabled?: boolean }) {
  return (
    <div className="tab-billing-setup__rounding-fields">
      <Select
        id={`${idPrefix}-increment`}
        labelText="Round to"
        value={String(rule.incrementMinutes)}
        disabled={disabled}
        onChange={(event) => onChange({ ...rule, incrementMinutes: Number(event.target.value) as RoundingRule['incrementMinutes'] })}
      >
        {ROUNDING_INCREMENTS.map((minutes) => (
          <SelectItem key={minutes} value={String(minutes)} text={minutes === 1 ? '1 minute' : `${minutes} minutes`} />
        ))}
      </Select>
      <Select id={`${idPrefix}-mode`} labelText="Direction" value={rule.mode} disabled={disabled} onChange={(event) => onChange({ ...rule, mode: event.target.value as RoundingRule['mode'] })}>
        {ROUNDING_MODES.map((mode) => (
          <SelectItem key={mode} value={mode} text={MODE_TEXT[mode]} />
        ))}
      </Select>
      <Select id={`${idPrefix}-scope`} labelText="Applied to" value={rule.scope} disabled={disabled} onChange={(event) => onChange({ ...rule, scope: event.target.value as RoundingRule['scope'] })}>
        {ROUNDING_SCOPES.map((scope) => (
          <SelectItem key={scope} value={scope} text={SCOPE_TEXT[scope]} />
        ))}
      </Select>
    </div>
  );
}
