import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

export interface ScheduledJob {
  name: string;
  /** how often, in the injected clock's time */
  everyMs: number;
  /** delay before the first run (default: everyMs) */
  firstAfterMs?: number;
  run(): Promise<void>;
}

interface Entry {
  job: ScheduledJob;
  nextRunAt: number;
}

/**
 * Background jobs driven by the injected Clock: `runDue()` runs every job whose time has come by
 * that clock. Production calls it from a timer (`start`); tests call it after advancing a
 * ManualClock, so "a day of scheduled jobs" takes no real time. Runs never overlap.
 */
export class Scheduler {
  private readonly entries: Entry[] = [];
  private timer?: NodeJS.Timeout;
  private running: Promise<string[]> = Promise.resolve([]);

  constructor(
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  add(job: ScheduledJob): void {
    this.entries.push({ job, nextRunAt: this.clock.now().getTime() + (job.firstAfterMs ?? job.everyMs) });
  }

  /** When each job runs next (for the admin pages). */
  nextRunAt(name: string): Date | undefined {
    const e = this.entries.find((x) => x.job.name === name);
    return e ? new Date(e.nextRunAt) : undefined;
  }

  /** Runs the due jobs (one after another); returns their names. A failing job is logged and rescheduled. */
  runDue(): Promise<string[]> {
    this.running = this.running.then(() => this.runDueNow());
    return this.running;
  }

  private async runDueNow(): Promise<string[]> {
    const ran: string[] = [];
    for (const e of this.entries) {
      const now = this.clock.now().getTime();
      if (e.nextRunAt > now) continue;
      // a clock that jumped several periods runs the job once, not once per missed period
      e.nextRunAt = now + e.job.everyMs;
      try {
        await e.job.run();
      } catch (err) {
        this.logger?.warn({ err, job: e.job.name }, 'scheduled job failed');
      }
      ran.push(e.job.name);
    }
    return ran;
  }

  /** Production: check for due jobs every `tickMs` of real time. */
  start(tickMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runDue(), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
