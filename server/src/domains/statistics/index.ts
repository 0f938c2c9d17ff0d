export { StatisticsService, type StatisticsOptions, STATISTICS_SEND_EVERY_MS } from './statistics.service.js';
export { StatisticsStore } from './statistics.store.js';
export { STATS_DAILY, STATS_STATE, DAY_MS } from './statistics.model.js';
export { statisticsRoutes } from './statistics.routes.js';
