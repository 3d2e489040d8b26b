import { useRef, useState } from 'react';
import { Button } from '@carbon/react';
import { Copy } from '@carbon/icons-react';

/**
 * A new token, shown once: wrapped to any width, with a button that copies it.
 * Where the clipboard is not available (a page served over plain HTTP on
 * another host), the button selects the text instead, for Ctrl+C.
 */
export function NewTokenValue({ value }: { value: string }) {
  const code = useRef<HTMLElement>(null);
  const [said, setSaid] = useState<string | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid('Copied to the clipboard.');
    } catch {
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setSaid('Selected: press Ctrl+C (⌘C on a Mac) to copy it.');
    }
  };

  return (
    <div className="tab-new-token">
      <code ref={code} className="tab-new-token__value" data-testid="new-api-token" aria-label="The new API token">
        {value}
      </code>
      <div className="tab-new-token__actions">
        <Button kind="primary" size="md" renderIcon={Copy} onClick={() => void copy()}>
          Copy token
        </Button>
        <span role="status" className="tab-new-token__said">
          {said}
        </span>
      </div>
    </div>
  );
}
