import { Notification } from 'electron';
import type { Notice } from '../shell/notices.js';

/** Shows a native notification (where the OS supports them); a click runs `onClick` (opens the window). */
export function showNotice(notice: Notice, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  notification.on('click', onClick);
  notification.show();
}
