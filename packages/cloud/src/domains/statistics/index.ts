export { StatisticsService, type StatisticsLimits } from './statistics.service.js';
export { StatisticsStore } from './statistics.store.js';
export { statisticsRoutes } from './statistics.routes.js';
export { statisticsIndexes } from './statistics.model.js';
