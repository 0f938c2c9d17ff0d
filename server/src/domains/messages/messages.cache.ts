import { LRUCache } from 'lru-cache';
import type { MessageDoc } from './messages.model.js';

interface Entry {
  /** the room's lastChange when this snapshot was taken */
  lastChange: number;
  /** newest main-stream messages, ascending by seq */
  messages: MessageDoc[];
  /** true when the snapshot reaches back to the room's first message */
  complete: boolean;
}

/**
 * A bounded cache of each active room's newest messages. An entry is served only while the
 * room's lastChange equals the one it was taken at, so a write from any server process makes
 * it stale. Writers in this process bump a generation so that a read that raced with a write
 * never stores what it saw.
 */
export class RoomMessageCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly generations = new Map<string, number>();

  constructor(
    maxRooms: number,
    readonly perRoom: number,
  ) {
    this.entries = new LRUCache({ max: maxRooms });
  }

  get(rid: string, lastChange: number): Entry | undefined {
    const e = this.entries.get(rid);
    return e && e.lastChange === lastChange ? e : undefined;
  }

  generation(rid: string): number {
    return this.generations.get(rid) ?? 0;
  }

  /** Stores a snapshot unless a write happened since `generation` was read. */
  fill(rid: string, generation: number, entry: Entry): void {
    if (this.generation(rid) !== generation) return;
    // trimmed to perRoom, the snapshot no longer reaches back to the room's first message
    const complete = entry.complete && entry.messages.length <= this.perRoom;
    this.entries.set(rid, { ...entry, complete, messages: entry.messages.slice(-this.perRoom) });
  }

  invalidate(rid: string): void {
    this.generations.set(rid, this.generation(rid) + 1);
    if (this.generations.size > 10_000) this.generations.clear();
    this.entries.delete(rid);
  }

  get size(): number {
    return this.entries.size;
  }
}
