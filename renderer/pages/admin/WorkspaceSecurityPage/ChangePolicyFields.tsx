import { Select, SelectItem } from '@carbon/react';
import { CHANGE_POLICIES, type ChangePolicy, type SessionPolicy } from '../../../../shared/api/admin.js';

const CHOICES: Record<ChangePolicy, string> = {
  off: 'Do nothing',
  notify: 'Alert the member and record it',
  reauth: 'Sign the session out',
};

/**
 * What happens when a live session is used from another country, or from
 * another browser or operating system (issue #16). Its own component, so the
 * page's form only places it.
 */
export function ChangePolicyFields({ draft, disabled, onChange }: { draft: SessionPolicy; disabled: boolean; onChange: (next: SessionPolicy) => void }) {
  return (
    <>
      <Select
        id="tab-policy-ip-change"
        labelText="When a session is used from another country"
        helperText="Compared with the country it signed in from; changes within one country never count."
        value={draft.ipChangePolicy}
        disabled={disabled}
        onChange={(e) => onChange({ ...draft, ipChangePolicy: e.target.value as ChangePolicy })}
      >
        {CHANGE_POLICIES.map((p) => (
          <SelectItem key={p} value={p} text={CHOICES[p]} />
        ))}
      </Select>
      <Select
        id="tab-policy-ua-change"
        labelText="When a session is used from another browser or operating system"
        helperText="Browser updates never count; for the desktop app only the operating system does."
        value={draft.userAgentChangePolicy}
        disabled={disabled}
        onChange={(e) => onChange({ ...draft, userAgentChangePolicy: e.target.value as ChangePolicy })}
      >
        {CHANGE_POLICIES.map((p) => (
          <SelectItem key={p} value={p} text={CHOICES[p]} />
        ))}
      </Select>
    </>
  );
}
