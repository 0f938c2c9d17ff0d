import { EventEmitter } from 'node:events';
import type { EphemeralMessageDto, MessageDto, RoomDto, SubscriptionDto } from '@obmeet/contracts';

/**
 * What services announce after a write. The realtime layer (and later jobs, push, apps)
 * listen; services never know who listens (architecture rule 8).
 */
export interface DomainEvents {
  /** `groupMention`: the message mentions @all or @here and the sender may do so (push decides who that reaches) */
  'message.created': { message: MessageDto; mentionedUserIds: string[]; notifyUserIds: string[]; groupMention?: 'all' | 'here' };
  /** a reply only one user sees (slash commands): the realtime layer sends it to that user's sockets only */
  'message.ephemeral': { userId: string; message: EphemeralMessageDto };
  'message.updated': { message: MessageDto };
  'message.deleted': { rid: string; _id: string; change: number };
  'reaction.changed': { message: MessageDto };
  'thread.updated': { rid: string; tmid: string; tcount: number; tlm: string; replies: string[] };
  'room.changed': { room: RoomDto };
  'room.removed': { rid: string; memberIds: string[] };
  'membership.changed': { rid: string; userId: string; username: string; action: 'added' | 'removed' };
  'subscription.changed': { userId: string; subscription: SubscriptionDto };
  'session.revoked': { sessionId: string };
  'user.deactivated': { userId: string };
  'user.changed': { userId: string };
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
