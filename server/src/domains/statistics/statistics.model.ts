/** Local bookkeeping of the statistics domain. Nothing here is ever sent as such. */

/** `_id: 'install'`: the random install id (UUID v4), created once, not derived from host, IP or machine. */
export interface InstallDoc {
  _id: 'install';
  installId: string;
  createdAt: Date;
}

/** `_id: 'sharing'`: when the statistics document was last sent and what the cloud answered. */
export interface SharingStateDoc {
  _id: 'sharing';
  lastSentAt?: Date;
  lastResult?: { at: Date; ok: boolean; status?: number; errorType?: string; message?: string };
}

/**
 * `_id: 'rollup'`: the message figures of the last daily rollup. Counting reactions and pins
 * means reading every message segment (FerretDB scans whole collections anyway), so it is done
 * once a day by the scheduler, not on every page view.
 */
export interface RollupDoc {
  _id: 'rollup';
  at: Date;
  messages: { total: number; last1d: number; last7d: number; last30d: number; threads: number; reactions: number; pinned: number };
}

/** One document per UTC day (`_id: 'YYYY-MM-DD'`): the chart series of the info page. */
export interface DailyStatsDoc {
  _id: string;
  /** messages posted that day (by message time, deleted ones excluded) */
  messages: number;
  /** users active in the 24 hours before the rollup that ran that day */
  activeUsers?: number;
  updatedAt: Date;
}

export const STATS_STATE = 'stats_state';
export const STATS_DAILY = 'stats_daily';

export const DAY_MS = 24 * 60 * 60 * 1000;
export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
