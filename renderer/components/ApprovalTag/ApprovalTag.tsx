import { Tag } from '@carbon/react';
import type { WeekApproval } from '../../../shared/api/timesheets.js';

/** What a week's approval says, in words and colour. */
export function ApprovalTag({ approval }: { approval: WeekApproval }) {
  if (approval.changedAfterApprovalAt) {
    return (
      <Tag type="magenta" data-testid="week-status">
        Changed after approval
      </Tag>
    );
  }
  if (approval.status === 'approved') {
    return (
      <Tag type="green" data-testid="week-status">
        Approved{approval.approvedBy ? ` by ${approval.approvedBy.name}` : ''}
      </Tag>
    );
  }
  if (approval.status === 'submitted') {
    return (
      <Tag type="blue" data-testid="week-status">
        Submitted
      </Tag>
    );
  }
  return (
    <Tag type="cool-gray" data-testid="week-status">
      Not submitted
    </Tag>
  );
}

