import { ApiError } from '../../../../shared/api/client.js';
import { callErrorMessage } from '../../../auth/messages.js';

/**
 * A failed set-up call in words a manager can act on, chosen by the error's
 * code (never its message text); `nameTaken` says what "taken" means where
 * the call was made (a matter's code, an activity's name).
 */
export function setupErrorMessage(error: unknown, nameTaken = 'That name is already in use.'): string {
  if (!(error instanceof ApiError)) return callErrorMessage(error);
  switch (error.code) {
    case 'name_taken':
      return nameTaken;
    case 'not_found':
      return 'It was removed or moved by someone else. Reload the page.';
    case 'forbidden':
      return 'Only managers and admins change billing set-up.';
    case 'invalid_request':
      // The server names the field and the rule; backticks are for developers.
      return error.message.replace(/`/g, '');
    default:
      return callErrorMessage(error);
  }
}
