export { ReauthDialog, type ReauthDialogApi, type ReauthDialogProps } from './ReauthDialog.js';
