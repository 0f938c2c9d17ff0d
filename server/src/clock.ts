/** Injected time source, so scheduled jobs can be tested by advancing the clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
