import { describe, expect, it } from 'vitest';
import { parseRoute, pathOf, paths } from './routes.js';
import { mainNavigation, sectionOf } from './navigation.js';

describe('routes', () => {
  it('reads every page, and the admin area’s old addresses lead to the same pages under their new address', () => {
    expect(parseRoute('/team/members')).toEqual({ page: 'members' });
    expect(parseRoute('/team')).toEqual({ page: 'members' });
    expect(parseRoute('/admin/members')).toEqual({ page: 'members' });
    expect(parseRoute('/admin/members/u%2F1')).toEqual({ page: 'member', userId: 'u/1' });
    expect(pathOf(parseRoute('/admin/members/u%2F1'))).toBe('/team/members/u%2F1');
    expect(pathOf(parseRoute('/admin/security'))).toBe(paths.security);
    expect(pathOf(parseRoute('/admin/audit'))).toBe(paths.audit);
    expect(pathOf(parseRoute('/security'))).toBe(paths.security);
    expect(parseRoute('/profile/')).toEqual({ page: 'profile' });
    expect(parseRoute('/team/members/%E0%A4%A')).toEqual({ page: 'not-found' });
    // The own week page was "Timesheet" at /timesheet; old links and bookmarks land on My week, under its new address.
    expect(parseRoute('/timesheet')).toEqual({ page: 'my-week' });
    expect(pathOf(parseRoute('/timesheet'))).toBe('/my-week');
    expect(parseRoute('/my-week')).toEqual({ page: 'my-week' });
    expect(pathOf(parseRoute('/nope'))).toBeNull();
    expect(parseRoute('/billing')).toEqual({ page: 'invoices' });
    expect(parseRoute('/billing/setup')).toEqual({ page: 'billing-setup', clientId: null });
    expect(parseRoute('/billing/setup/c%2F1')).toEqual({ page: 'billing-setup', clientId: 'c/1' });
    expect(pathOf(parseRoute('/billing'))).toBe('/invoices');
    expect(pathOf(parseRoute('/billing/setup'))).toBe('/billing/setup');
    expect(pathOf(parseRoute('/billing/setup/c%2F1/'))).toBe('/billing/setup/c%2F1');
    expect(sectionOf({ role: 'manager' }, { page: 'billing-setup', clientId: 'x' })?.children?.map((c) => c.label)).toEqual(['Invoices', 'Work in progress', 'Set-up']);
    expect(mainNavigation({ role: 'accountant' }).some((e) => e.id === 'billing')).toBe(false);
  });

  it('puts Members under Team and the policy and audit log under Security, for the roles that have them', () => {
    expect(sectionOf({ role: 'manager' }, { page: 'member', userId: 'x' })?.label).toBe('Team');
    expect(sectionOf({ role: 'manager' }, { page: 'audit' })).toBeNull();
    // Team › Timesheets after Members; the member page marks Members, not Timesheets.
    const team = sectionOf({ role: 'manager' }, { page: 'timesheets', memberId: 'u', monday: null })!;
    expect(team.children?.map((c) => c.label)).toEqual(['Members', 'Timesheets']);
    expect(team.children?.filter((c) => c.matches({ page: 'member', userId: 'x' })).map((c) => c.label)).toEqual(['Members']);
    expect(parseRoute('/team/timesheets')).toEqual({ page: 'timesheets', memberId: null, monday: null });
    expect(sectionOf({ role: 'admin' }, { page: 'audit' })?.children?.map((c) => c.label)).toEqual(['Session policy', 'Audit log']);
    expect(mainNavigation({ role: 'accountant' }).some((e) => e.children)).toBe(false);
  });

  it('gives Team › Timesheets its member and week in the address, and keeps the bare address', () => {
    expect(parseRoute('/team/timesheets/')).toEqual({ page: 'timesheets', memberId: null, monday: null });
    expect(parseRoute('/team/timesheets/u%2F1')).toEqual({ page: 'timesheets', memberId: 'u/1', monday: null });
    expect(parseRoute('/team/timesheets/u-ana/2026-11-09')).toEqual({ page: 'timesheets', memberId: 'u-ana', monday: '2026-11-09' });
    expect(paths.timesheetWeek('u/1', '2026-11-09')).toBe('/team/timesheets/u%2F1/2026-11-09');
    expect(pathOf(parseRoute('/team/timesheets/u%2F1/2026-11-09/'))).toBe('/team/timesheets/u%2F1/2026-11-09');
    expect(pathOf(parseRoute('/team/timesheets/u-ana'))).toBe('/team/timesheets/u-ana');
    expect(pathOf(parseRoute('/team/timesheets'))).toBe('/team/timesheets');
    // Not a day, or not a real one: no page (rather than a week the reader did not ask for).
    for (const bad of ['/team/timesheets/u/2026-02-30', '/team/timesheets/u/next', '/team/timesheets/u/2026-11-09/x', '/team/timesheets/%E0%A4%A/2026-11-09']) {
      expect(parseRoute(bad)).toEqual({ page: 'not-found' });
    }
    // Still the Timesheets tab of Team.
    const tabs = sectionOf({ role: 'admin' }, parseRoute('/team/timesheets/u-ana/2026-11-09'))!.children!;
    expect(tabs.filter((c) => c.matches(parseRoute('/team/timesheets/u-ana'))).map((c) => c.label)).toEqual(['Timesheets']);
  });
});
