import type { StatisticsDocument } from '@obmeet/contracts';

/** One statistics document per install per UTC day (a resend the same day replaces it). */
export interface StatisticsDoc {
  /** `${installId}:${day}` */
  _id: string;
  installId: string;
  day: string;
  receivedAt: Date;
  source: 'registered' | 'anonymous';
  workspaceId?: string;
  document: StatisticsDocument;
}

/** An install id, and the registered workspace it belongs to while registered. */
export interface InstallDoc {
  _id: string;
  workspaceId?: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export const STATISTICS = 'statistics';
export const INSTALLS = 'installs';

export const statisticsIndexes = [
  { collection: STATISTICS, key: { installId: 1, day: 1 }, unique: false, name: 'installId_day' },
  { collection: INSTALLS, key: { workspaceId: 1 }, unique: false, name: 'workspaceId' },
] as const;
