import type { PushPreference, RoomNotificationDto, RoomPushPreference } from '@obmeet/contracts';
import { get, post } from './http';

type Ok<T> = { success: true } & T;

/** Notification preferences: the user's default and each room's own setting. */
export const pushApi = {
  preferences: () => get<Ok<{ preferences: { pushNotifications: PushPreference } }>>('push.preferences'),
  setPreferences: (pushNotifications: PushPreference) =>
    post<Ok<{ preferences: { pushNotifications: PushPreference } }>>('push.preferences', { pushNotifications }),
  roomNotification: (roomId: string) => get<Ok<{ notifications: RoomNotificationDto }>>('rooms.getNotification', { roomId }),
  saveRoomNotification: (roomId: string, notifications: { mobilePushNotifications?: RoomPushPreference; disableNotifications?: boolean }) =>
    post<Ok<{ notifications: RoomNotificationDto }>>('rooms.saveNotification', { roomId, notifications }),
};
