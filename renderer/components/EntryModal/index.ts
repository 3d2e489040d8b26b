export { EntryModal, type EntryModalProps } from './EntryModal.js';
