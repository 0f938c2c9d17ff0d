/**
 * Pure helpers that merge messages into ordered lists. The one rule that keeps the
 * client free of gaps and duplicates: a message version is applied only when its
 * `change` is newer than the version we hold (or than its deletion).
 */
import type { MessageDto } from '@obmeet/contracts';

/** What we know about deleted messages: id → the change at which it was deleted. */
export type Tombstones = Map<string, number>;

export interface MergeRange {
  /** lowest seq the list covers; undefined when the list reaches the room's first message */
  minSeq?: number;
  /** highest seq the list covers; undefined when the list reaches the newest message */
  maxSeq?: number;
}

function isNewer(incoming: MessageDto, held: MessageDto | undefined, tombstones: Tombstones): boolean {
  const deletedAt = tombstones.get(incoming._id);
  if (deletedAt !== undefined && deletedAt >= incoming.change) return false;
  return !held || incoming.change > held.change;
}

/**
 * Merges `incoming` into `list` (sorted by `sortKey`). Returns the same array when nothing
 * changed, so React can skip re-rendering. Messages outside `range` are only updated
 * when already present, never inserted (that would open a gap in a windowed list).
 */
export function mergeMessages(
  list: MessageDto[],
  incoming: MessageDto[],
  tombstones: Tombstones,
  range: MergeRange = {},
  sortKey: (m: MessageDto) => number = (m) => m.seq,
): MessageDto[] {
  let result: MessageDto[] = list;
  let copied = false;
  const writable = () => {
    if (!copied) {
      result = result.slice();
      copied = true;
    }
    return result;
  };
  for (const message of incoming) {
    const index = result.findIndex((m) => m._id === message._id);
    const held = index >= 0 ? result[index] : undefined;
    if (!isNewer(message, held, tombstones)) continue;
    if (message.deleted) {
      tombstones.set(message._id, message.change);
      if (index >= 0) writable().splice(index, 1);
      continue;
    }
    if (index >= 0) {
      writable()[index] = message;
      continue;
    }
    const key = sortKey(message);
    if (range.minSeq !== undefined && key < range.minSeq) continue;
    if (range.maxSeq !== undefined && key > range.maxSeq) continue;
    // insert in order; new messages almost always go at the end
    let at = result.length;
    while (at > 0 && sortKey(result[at - 1]) > key) at--;
    writable().splice(at, 0, message);
  }
  return result;
}

/** Removes a deleted message and remembers the deletion so older versions never come back. */
export function removeMessage(list: MessageDto[], id: string, change: number, tombstones: Tombstones): MessageDto[] {
  const deletedAt = tombstones.get(id);
  if (deletedAt === undefined || change > deletedAt) tombstones.set(id, change);
  const held = list.find((m) => m._id === id);
  if (!held || held.change > change) return list;
  return list.filter((m) => m._id !== id);
}

/** Thread replies and hidden replies do not belong to the main message list. */
export function isInMainList(m: MessageDto): boolean {
  return !m.tmid || m.tshow === true;
}
