export { PreferencesSection, type PreferencesSectionProps } from './PreferencesSection.js';
