import type { WeekQueue } from '../../../../shared/api/timesheets.js';
import { weekOf } from '../../../../shared/time/periods.js';

export interface ChosenWeek {
  memberId: string;
  monday: string;
}

export interface WeekChoiceInputs {
  /** The waiting weeks, or null while they load (an error counts as none waiting). */
  queue: readonly Pick<WeekQueue['weeks'][number], 'member' | 'monday' | 'submittedAt'>[] | null;
  /** Members who can have time (not invitations), or null while they load. */
  people: readonly { id: string }[] | null;
  selfId: string;
  /** This week's Monday in the reader's zone. */
  thisMonday: string;
  zone: string;
}

/** Oldest week first; for the same week, the one submitted first. */
const oldestFirst = (a: { monday: string; submittedAt: string }, b: { monday: string; submittedAt: string }) =>
  a.monday.localeCompare(b.monday) || a.submittedAt.localeCompare(b.submittedAt);

/**
 * Which member and week Team › Timesheets shows for an address (null: not
 * known yet, wait for the data). A manager opens the page to approve, so what
 * the address leaves open is filled with the oldest week waiting for approval:
 * - member and week given: that week (any day moves to its Monday);
 * - a member only (the link on a member's page): their oldest waiting week, else this week;
 * - nothing: the oldest waiting week in the queue, else the first other member's this week.
 */
export function chooseWeek(asked: { memberId: string | null; monday: string | null }, known: WeekChoiceInputs): ChosenWeek | null {
  if (asked.memberId !== null && asked.monday !== null) return { memberId: asked.memberId, monday: weekOf(asked.monday, known.zone).monday };
  if (known.queue === null) return null;
  const waiting = [...known.queue].sort(oldestFirst);
  if (asked.memberId !== null) {
    const theirs = waiting.find((w) => w.member.id === asked.memberId);
    return { memberId: asked.memberId, monday: theirs?.monday ?? known.thisMonday };
  }
  const oldest = waiting[0];
  if (oldest) return { memberId: oldest.member.id, monday: oldest.monday };
  if (known.people === null) return null;
  const person = known.people.find((m) => m.id !== known.selfId) ?? known.people[0];
  return person ? { memberId: person.id, monday: known.thisMonday } : null;
}
