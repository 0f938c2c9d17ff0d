/**
 * An in-process queue worked one item at a time, with a hard bound: when `max` items wait, a new
 * one is refused (the caller counts it) instead of piling up memory behind a slow gateway.
 */
export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly work: (item: T) => Promise<void>,
    private readonly onError: (err: unknown, item: T) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** false when the queue is full and the item was not taken */
  push(item: T): boolean {
    if (this.items.length >= this.max) return false;
    this.items.push(item);
    if (!this.running) void this.drain();
    return true;
  }

  /** Resolves once nothing waits and nothing runs. */
  idle(): Promise<void> {
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let item = this.items.shift(); item !== undefined; item = this.items.shift()) {
        try {
          await this.work(item);
        } catch (err) {
          this.onError(err, item);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
