export { RoomsService, type RoomAccess } from './rooms.service.js';
export { RoomsStore } from './rooms.store.js';
export { RoomPolicy } from './rooms.policy.js';
export { presentRoom, presentSubscription, presentMember } from './rooms.present.js';
export type { RoomDoc, SubscriptionDoc } from './rooms.model.js';
export { roomIndexes } from './rooms.model.js';
