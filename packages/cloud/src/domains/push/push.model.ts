/**
 * Usage of the push gateway per workspace per UTC day: counts only ("usage data").
 * No token, title, body or data of a notification is ever stored.
 */
export interface PushUsageDoc {
  /** `${workspaceId}:${day}` */
  _id: string;
  workspaceId: string;
  day: string;
  requests: number;
  messages: number;
  delivered: number;
  rejected: number;
  failed: number;
}

export const PUSH_USAGE = 'push_usage';

export const pushIndexes = [{ collection: PUSH_USAGE, key: { workspaceId: 1, day: 1 }, unique: false, name: 'workspaceId_day' }] as const;
