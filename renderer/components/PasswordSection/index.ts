export { PasswordSection, type PasswordSectionProps } from './PasswordSection.js';
