import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RouteLink, RouterProvider, useRouter, type NavigateOptions } from './router.js';

let go: (path: string, options?: NavigateOptions) => void = () => {};
function Probe() {
  const { path, navigate } = useRouter();
  go = navigate;
  return (
    <>
      <output data-testid="path">{path}</output>
      <RouteLink to="/team/timesheets/u-ana/2026-11-09">Ana’s week</RouteLink>
    </>
  );
}

describe('router', () => {
  it('a redirect with ifAt gives way to a navigation made after it was decided', () => {
    render(
      <RouterProvider initialPath="/team/timesheets">
        <Probe />
      </RouterProvider>,
    );
    // Decided at /team/timesheets, run after the person went to Ana's week: it must not take them back.
    act(() => {
      go('/team/timesheets/u-ana/2026-11-30');
      go('/team/timesheets/u-ben/2026-11-30', { replace: true, ifAt: '/team/timesheets' });
    });
    expect(screen.getByTestId('path')).toHaveTextContent('/team/timesheets/u-ana/2026-11-30');
    act(() => go('/team/timesheets/u-ana/2026-11-23', { replace: true, ifAt: '/team/timesheets/u-ana/2026-11-30' }));
    expect(screen.getByTestId('path')).toHaveTextContent('/team/timesheets/u-ana/2026-11-23');
  });

  it('RouteLink has a real address and routes in place on a plain click', async () => {
    render(
      <RouterProvider initialPath="/">
        <Probe />
      </RouterProvider>,
    );
    const link = screen.getByRole('link', { name: 'Ana’s week' });
    expect(link).toHaveAttribute('href', '/team/timesheets/u-ana/2026-11-09');
    await userEvent.setup().click(link);
    expect(screen.getByTestId('path')).toHaveTextContent('/team/timesheets/u-ana/2026-11-09');
  });
});
