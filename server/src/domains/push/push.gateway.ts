import type { PushBatchBody, PushBatchResult } from '@obmeet/contracts';

/**
 * The way out to the vendor cloud's push gateway. The composition root wires it to the egress
 * client (the only code that may call the cloud, and which logs every call); the push domain
 * never opens a connection itself.
 */
export interface PushGateway {
  /** true only while the workspace is registered: nothing is attempted otherwise */
  isAvailable(): Promise<boolean>;
  send(body: PushBatchBody): Promise<PushBatchResult>;
}

/** Who is connected and active in a client right now (the realtime layer sets this). */
export interface PresencePort {
  /** the subset of `userIds` with at least one connected socket that is not away or idle */
  activeUserIds(userIds: string[]): Promise<Set<string>>;
}

/** Until the composition root connects the egress client, the workspace counts as unregistered. */
export const unregisteredGateway: PushGateway = {
  isAvailable: async () => false,
  send: async () => {
    throw new Error('push gateway is not available: the workspace is not registered');
  },
};

/** Without a realtime layer (e.g. a worker process) nobody counts as active. */
export const nobodyActive: PresencePort = { activeUserIds: async () => new Set() };
