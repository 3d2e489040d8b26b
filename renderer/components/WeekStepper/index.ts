export { WeekStepper, type WeekStepperProps } from './WeekStepper.js';
