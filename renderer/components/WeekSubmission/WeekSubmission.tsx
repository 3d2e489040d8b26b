import { Button } from '@carbon/react';
import type { WeekApproval } from '../../../shared/api/timesheets.js';
import { useSignedIn } from '../../auth/auth-context.js';
import { callErrorMessage } from '../../auth/messages.js';
import { useApiData, type ApiData } from '../../hooks/useApiData.js';
import { ApprovalTag } from '../ApprovalTag/index.js';
import type { Notice } from '../PageNotification/index.js';
import './WeekSubmission.scss';

/**
 * The signed-in person's own week's approval (team timesheets), read again on
 * every time change; `locked` while it is approved (and not changed since),
 * when its entries are theirs no more to change.
 */
export function useOwnWeekApproval(monday: string): { approval: ApiData<WeekApproval>; locked: boolean } {
  const { backend, user, timeVersion } = useSignedIn();
  const approval = useApiData(() => backend.api.getTimesheetWeek(user.id, monday).then((w) => w.approval), `${monday}:${timeVersion}`);
  const locked = approval.data?.status === 'approved' && !approval.data.changedAfterApprovalAt;
  return { approval, locked };
}

/**
 * The week's status and, for an open week that has begun, "Submit week": on
 * both of the person's own week pages (Entries and My week), so a week is
 * submitted from wherever it was filled in.
 */
export function WeekSubmission({ monday, weekStarted, approval, onNotice }: { monday: string; weekStarted: boolean; approval: ApiData<WeekApproval>; onNotice(notice: Notice): void }) {
  const { backend, user } = useSignedIn();
  if (!approval.data) return null;

  async function submitWeek() {
    try {
      await backend.api.submitWeek(user.id, monday);
      onNotice({ kind: 'success', title: 'Week submitted', subtitle: 'Your manager sees it in Team › Timesheets.' });
      await approval.reload();
    } catch (caught) {
      onNotice({ kind: 'error', title: 'The week was not submitted', subtitle: callErrorMessage(caught) });
    }
  }

  return (
    <div className="tab-week-status">
      <ApprovalTag approval={approval.data} />
      {approval.data.status === 'open' && weekStarted && (
        <Button kind="tertiary" size="sm" onClick={() => void submitWeek()}>
          Submit week
        </Button>
      )}
    </div>
  );
}
