import { describe, expect, it } from 'vitest';
import { chooseWeek, type WeekChoiceInputs } from './choose-week.js';

const item = (id: string, monday: string, submittedAt = `${monday}T18:00:00.000Z`) => ({ member: { id, name: id }, monday, submittedAt });
const base: WeekChoiceInputs = {
  queue: [item('u-ben', '2026-11-16'), item('u-ana', '2026-11-09', '2026-11-20T10:00:00.000Z'), item('u-cy', '2026-11-09', '2026-11-14T10:00:00.000Z'), item('u-ana', '2026-11-23')],
  people: [{ id: 'u-admin' }, { id: 'u-manager' }, { id: 'u-ana' }],
  selfId: 'u-manager',
  thisMonday: '2026-11-30',
  zone: 'Europe/Berlin',
};

describe('chooseWeek (what Team › Timesheets opens on)', () => {
  it('opens on the oldest waiting week (the first submitted for the same week), whatever order the queue comes in', () => {
    expect(chooseWeek({ memberId: null, monday: null }, base)).toEqual({ memberId: 'u-cy', monday: '2026-11-09' });
  });

  it('waits for the queue, and with none waiting opens the first other member on this week', () => {
    expect(chooseWeek({ memberId: null, monday: null }, { ...base, queue: null })).toBeNull();
    expect(chooseWeek({ memberId: null, monday: null }, { ...base, queue: [] })).toEqual({ memberId: 'u-admin', monday: '2026-11-30' });
    expect(chooseWeek({ memberId: null, monday: null }, { ...base, queue: [], people: null })).toBeNull();
    expect(chooseWeek({ memberId: null, monday: null }, { ...base, queue: [], people: [{ id: 'u-manager' }] })).toEqual({ memberId: 'u-manager', monday: '2026-11-30' });
  });

  it('for a member alone, opens their oldest waiting week, else this week', () => {
    expect(chooseWeek({ memberId: 'u-ana', monday: null }, base)).toEqual({ memberId: 'u-ana', monday: '2026-11-09' });
    expect(chooseWeek({ memberId: 'u-admin', monday: null }, base)).toEqual({ memberId: 'u-admin', monday: '2026-11-30' });
    expect(chooseWeek({ memberId: 'u-ana', monday: null }, { ...base, queue: null })).toBeNull();
  });

  it('keeps the member and week the address names, at once, moving a day to its Monday', () => {
    expect(chooseWeek({ memberId: 'u-ben', monday: '2026-10-05' }, { ...base, queue: null, people: null })).toEqual({ memberId: 'u-ben', monday: '2026-10-05' });
    expect(chooseWeek({ memberId: 'u-ben', monday: '2026-11-15' }, base)).toEqual({ memberId: 'u-ben', monday: '2026-11-09' });
    expect(chooseWeek({ memberId: 'u-ben', monday: '2026-11-11' }, base)).toEqual({ memberId: 'u-ben', monday: '2026-11-09' });
  });
});
