import { z } from 'zod';
import { Id } from './common.js';
import { PushToken } from './cloud.js';

/**
 * Push notifications inside the workspace: device tokens, notification preferences, the
 * message a device fetches in id-only mode. Delivery goes through the vendor cloud's push
 * gateway (cloud.ts: PushBatchBody / PushBatchResult).
 */

/**
 * Rocket.Chat's token types: `gcm` is the old name of `fcm` (stored as `fcm`). The gateway
 * delivers through FCM only, so an iOS app must register its FCM token; a raw APNs token is
 * refused by FCM and then deleted like any rejected token.
 */
export const PushTokenType = z.enum(['fcm', 'gcm', 'apn', 'web']);
export type PushTokenType = z.infer<typeof PushTokenType>;
export type StoredPushTokenType = Exclude<PushTokenType, 'gcm'>;

export const RegisterPushTokenBody = z
  .object({
    type: PushTokenType,
    value: PushToken,
    appName: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'app name: letters, digits, ., _ and -'),
    /** Rocket.Chat clients send a device id; kept only to stay compatible */
    id: z.string().max(200).optional(),
  })
  .strict();
export type RegisterPushTokenBody = z.infer<typeof RegisterPushTokenBody>;

export const DeletePushTokenBody = z.object({ token: PushToken }).strict();
export type DeletePushTokenBody = z.infer<typeof DeletePushTokenBody>;

export interface PushTokenDto {
  _id: string;
  type: StoredPushTokenType;
  value: string;
  appName: string;
  createdAt: string;
  _updatedAt: string;
}

/** A user's default for rooms without their own setting (Rocket.Chat: pushNotifications). */
export const PushPreference = z.enum(['all', 'mentions', 'nothing']);
export type PushPreference = z.infer<typeof PushPreference>;
export const DEFAULT_PUSH_PREFERENCE: PushPreference = 'mentions';

export const SetPushPreferencesBody = z.object({ pushNotifications: PushPreference }).strict();
export type SetPushPreferencesBody = z.infer<typeof SetPushPreferencesBody>;

export interface PushPreferencesDto {
  pushNotifications: PushPreference;
}

/** Per room, `default` follows the user's default (Rocket.Chat: mobilePushNotifications). */
export const RoomPushPreference = z.enum(['all', 'mentions', 'nothing', 'default']);
export type RoomPushPreference = z.infer<typeof RoomPushPreference>;

/** Rocket.Chat's rooms.saveNotification; `disableNotifications` is the room's mute. */
export const SaveRoomNotificationBody = z
  .object({
    roomId: Id,
    notifications: z
      .object({
        mobilePushNotifications: RoomPushPreference.optional(),
        disableNotifications: z.boolean().optional(),
      })
      .strict()
      .refine((n) => n.mobilePushNotifications !== undefined || n.disableNotifications !== undefined, 'nothing to change'),
  })
  .strict();
export type SaveRoomNotificationBody = z.infer<typeof SaveRoomNotificationBody>;

export const RoomNotificationQuery = z.object({ roomId: Id }).strict();

export interface RoomNotificationDto {
  mobilePushNotifications: RoomPushPreference;
  disableNotifications: boolean;
  /** the room's setting with `default` resolved to the user's default (a muted room sends nothing, whatever this says) */
  effective: PushPreference;
}

/** The device's request for a message it was told about in id-only mode. */
export const PushGetQuery = z.object({ id: Id }).strict();

/** The admin's choice of what a push may carry (setting `push.contentMode`). */
export const PushContentMode = z.enum(['full', 'sender', 'id']);
export type PushContentMode = z.infer<typeof PushContentMode>;
