import { InlineNotification, Stack } from '@carbon/react';
import { TextInput } from '../Fields/index.js';
import { passkeysUnavailableAt } from '../../../shared/api/passkeys.js';

export interface ServerAddressFieldProps {
  value: string;
  onChange(value: string): void;
}

/**
 * Desktop only: the server address on the sign-in page. When it is an IP
 * address, it says up front that passkey sign-in cannot work there (WebAuthn
 * needs a host name; `passkeysUnavailableAt`), before anyone reaches for a
 * passkey, and the page offers no passkey button meanwhile.
 */
export function ServerAddressField({ value, onChange }: ServerAddressFieldProps) {
  const passkeyProblem = passkeysUnavailableAt(value);
  return (
    <Stack gap={3}>
      <TextInput
        id="tab-server-url"
        labelText="Server address"
        helperText="Ask your firm’s TAB admin, e.g. https://tab.yourfirm.com"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="url"
      />
      {passkeyProblem && (
        <InlineNotification
          kind="warning"
          lowContrast
          hideCloseButton
          role="status"
          title="No passkeys at an IP address."
          subtitle={passkeyProblem}
          className="tab-sign-in__notice"
          data-testid="server-passkey-warning"
        />
      )}
    </Stack>
  );
}
