// eslint-disable-next-line no-restricted-imports -- this module is the one place that wraps them
import { Checkbox as CarbonCheckbox, PasswordInput as CarbonPasswordInput, TextInput as CarbonTextInput } from '@carbon/react';
import { forwardRef, type ComponentProps } from 'react';
import './Fields.scss';

/**
 * Carbon's TextInput and PasswordInput with their error message described
 * (and Checkbox with its helper text, below).
 *
 * Carbon (1.117) marks an invalid field `aria-invalid` and points
 * `aria-errormessage` at its message, but does not describe the field by it,
 * so axe fails the page (aria-valid-attr-value) whenever a field shows an
 * error, and a screen reader may never read the message. These wrappers add
 * `aria-describedby` = the message's id (Carbon's own `${id}-error-msg`)
 * while the field is invalid; otherwise Carbon's own describing (helper or
 * warning text) stands. Every text and password field of the renderer comes
 * from here (ESLint refuses the Carbon ones elsewhere).
 */
type TextProps = ComponentProps<typeof CarbonTextInput>;
type PasswordProps = ComponentProps<typeof CarbonPasswordInput>;

/** The props that describe an invalid field by its message; none when it is valid (Carbon's helper text then applies). */
export function errorDescription(id: string, invalid: boolean | undefined, describedBy?: string): { 'aria-describedby'?: string } {
  if (!invalid) return describedBy ? { 'aria-describedby': describedBy } : {};
  return { 'aria-describedby': [`${id}-error-msg`, describedBy].filter(Boolean).join(' ') };
}

export const TextInput = forwardRef<HTMLInputElement, TextProps>(function TextInput({ 'aria-describedby': describedBy, ...props }, ref) {
  return <CarbonTextInput ref={ref} {...props} {...errorDescription(props.id, props.invalid, describedBy)} />;
});

export const PasswordInput = forwardRef<HTMLInputElement, PasswordProps>(function PasswordInput({ 'aria-describedby': describedBy, ...props }, ref) {
  return <CarbonPasswordInput ref={ref} {...props} {...errorDescription(props.id, props.invalid, describedBy)} />;
});

type CheckboxProps = ComponentProps<typeof CarbonCheckbox>;

/**
 * Carbon's Checkbox shows its helper text but never describes the box by it
 * (its id is made inside), so a screen reader hears "Sign out my other
 * sessions" without what that does. This one draws the helper itself, with
 * Carbon's class, under an id it knows, and describes the box by it.
 */
export const Checkbox = forwardRef<HTMLInputElement, CheckboxProps>(function Checkbox({ helperText, 'aria-describedby': describedBy, ...props }, ref) {
  if (!helperText) return <CarbonCheckbox ref={ref} {...props} aria-describedby={describedBy} />;
  const helperId = `${props.id}-helper-text`;
  return (
    <div className="tab-checkbox">
      <CarbonCheckbox ref={ref} {...props} aria-describedby={[helperId, describedBy].filter(Boolean).join(' ')} />
      <div id={helperId} className="cds--form__helper-text tab-checkbox__helper">
        {helperText}
      </div>
    </div>
  );
});
