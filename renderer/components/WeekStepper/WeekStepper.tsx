import { Button } from '@carbon/react';
import { ChevronLeft, ChevronRight } from '@carbon/icons-react';
import { shiftWeek, thisWeek } from '../../../shared/time/periods.js';

export interface WeekStepperProps {
  /** The week shown, by its Monday (YYYY-MM-DD in `zone`). */
  monday: string;
  /** The reader's zone: "this week" is theirs. */
  zone: string;
  onChange(monday: string): void;
}

/** Previous week, This week (only when another week is shown), Next week: the week pages' navigation. */
export function WeekStepper({ monday, zone, onChange }: WeekStepperProps) {
  const current = thisWeek(Date.now(), zone).monday;
  return (
    <>
      <Button kind="ghost" size="md" renderIcon={ChevronLeft} onClick={() => onChange(shiftWeek({ monday }, -1, zone).monday)}>
        Previous week
      </Button>
      {monday !== current && (
        <Button kind="ghost" size="md" onClick={() => onChange(current)}>
          This week
        </Button>
      )}
      <Button kind="ghost" size="md" renderIcon={ChevronRight} onClick={() => onChange(shiftWeek({ monday }, 1, zone).monday)}>
        Next week
      </Button>
    </>
  );
}
