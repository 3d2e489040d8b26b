import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import axe from 'axe-core';
import { Checkbox, PasswordInput, TextInput } from './Fields.js';

/** axe's ARIA checks (the ones jsdom can run; contrast needs a real browser, see the e2e tests). */
async function ariaViolations(container: HTMLElement): Promise<string[]> {
  const result = await axe.run(container, { runOnly: ['aria-valid-attr-value', 'aria-valid-attr', 'label'] });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('Fields', () => {
  it('describes an invalid password field by its error message, so axe passes it', async () => {
    const { container } = render(<PasswordInput id="pw" labelText="Password" helperText="At least 12 characters." invalid invalidText="Too short." value="" onChange={() => {}} />);
    const field = screen.getByLabelText('Password', { selector: 'input' });
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('Too short.');
    expect(await ariaViolations(container)).toEqual([]);
  });

  it('describes an invalid text field by its error message, keeping a description the caller gave', async () => {
    const { container } = render(
      <>
        <p id="extra">Shown to the whole firm.</p>
        <TextInput id="name" labelText="Name" invalid invalidText="Enter a name." aria-describedby="extra" value="" onChange={() => {}} />
      </>,
    );
    const field = screen.getByLabelText('Name', { selector: 'input' });
    expect(field).toHaveAccessibleDescription('Enter a name. Shown to the whole firm.');
    expect(await ariaViolations(container)).toEqual([]);
  });

  it('leaves a valid field described by its helper text, as Carbon does', async () => {
    const { container } = render(
      <>
        <TextInput id="email" labelText="Email" helperText="Their sign-in address." value="" onChange={() => {}} />
        <PasswordInput id="pw" labelText="Password" helperText="At least 12 characters." value="" onChange={() => {}} />
      </>,
    );
    expect(screen.getByLabelText('Email', { selector: 'input' })).toHaveAccessibleDescription('Their sign-in address.');
    expect(screen.getByLabelText('Password', { selector: 'input' })).toHaveAccessibleDescription('At least 12 characters.');
    expect(screen.getByLabelText('Email', { selector: 'input' })).not.toHaveAttribute('aria-invalid');
    expect(await ariaViolations(container)).toEqual([]);
  });

  it('describes a checkbox by its helper text (Carbon shows it without linking it)', async () => {
    const { container } = render(
      <>
        <Checkbox id="others" labelText="Sign out my other sessions" helperText="Every other device has to sign in again." checked onChange={() => {}} />
        <Checkbox id="plain" labelText="Billable" checked={false} onChange={() => {}} />
      </>,
    );
    expect(screen.getByRole('checkbox', { name: 'Sign out my other sessions' })).toHaveAccessibleDescription('Every other device has to sign in again.');
    expect(screen.getByRole('checkbox', { name: 'Billable' })).not.toHaveAttribute('aria-describedby');
    expect(screen.getAllByText('Every other device has to sign in again.')).toHaveLength(1);
    expect(await ariaViolations(container)).toEqual([]);
  });
});
