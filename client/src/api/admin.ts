/**
 * REST calls of the admin pages (settings, users, rooms). Every one of them is refused by the
 * server for non-admins; the pages are only shown to admins as well.
 */
import type { RoleName, RoomDto, RoomType, SettingDto, UserDto } from '@obmeet/contracts';
import { get, post } from './http';

type Ok<T> = { success: true } & T;
interface Paged {
  count: number;
  offset: number;
  total: number;
}

export type SettingValueInput = string | number | boolean | string[];

export const adminApi = {
  // ---- settings ----
  settings: () => get<Ok<{ settings: SettingDto[] }>>('settings').then((r) => r.settings),
  setSetting: (key: string, value: SettingValueInput) => post<Ok<object>>(`settings/${encodeURIComponent(key)}`, { value }),
  resetSetting: (key: string) => post<Ok<object>>(`settings/${encodeURIComponent(key)}/reset`),

  // ---- users ----
  users: (query: string, count: number, offset: number) =>
    get<Ok<Paged & { users: UserDto[] }>>('users.list', { query, count, offset }),
  createUser: (body: { username: string; email: string; password: string; name: string; roles?: RoleName[]; type?: 'user' | 'bot' }) =>
    post<Ok<{ user: UserDto }>>('users.create', body).then((r) => r.user),
  setUserActive: (userId: string, activeStatus: boolean) =>
    post<Ok<{ user: UserDto }>>('users.setActiveStatus', { userId, activeStatus }).then((r) => r.user),
  setUserRoles: (userId: string, roles: RoleName[]) =>
    post<Ok<{ user: UserDto }>>('users.setRoles', { userId, roles }).then((r) => r.user),

  // ---- rooms ----
  rooms: (types: RoomType[], filter: string, count: number, offset: number) =>
    get<Ok<Paged & { rooms: RoomDto[] }>>('rooms.adminRooms', { types: types.join(','), filter, count, offset }),
  /** direct messages have no archive; only channels and private groups reach here */
  setRoomArchived: (room: RoomDto, archived: boolean) =>
    post<Ok<object>>(`${room.t === 'c' ? 'channels' : 'groups'}.${archived ? 'archive' : 'unarchive'}`, { roomId: room._id }),
  deleteRoom: (room: RoomDto) => post<Ok<object>>(`${room.t === 'c' ? 'channels' : 'groups'}.delete`, { roomId: room._id }),
};

// ---- workspace info, statistics, registration, outbound log -------------------------------
// The pages read these view shapes; the functions below map the server's answers onto them.

export interface WorkspaceInfoView {
  versions: { server: string; node: string; database: { kind: string; version: string } };
  uptimeSeconds: number;
  users: {
    total: number;
    active: number;
    deactivated: number;
    byRole: Record<string, number>;
    activeLast1d: number;
    activeLast7d: number;
    activeLast30d: number;
  };
  rooms: { channels: number; privateGroups: number; directMessages: number; archived: number };
  messages: { total: number };
  uploads: { count: number; totalBytes: number };
  apps: { installed: number };
  series: { messages: { label: string; value: number }[]; activeUsers: { label: string; value: number }[] };
}

export interface StatisticsView {
  enabled: boolean;
  preview: unknown;
  lastSentAt?: string;
  lastResultOk?: boolean;
  lastResult?: string;
}

export interface RegistrationView {
  registered: boolean;
  workspaceId?: string;
  registeredAt?: string;
  secretRotatedAt?: string;
  cloudUrl?: string;
}

export type OutboundPurpose = 'registration' | 'push' | 'statistics' | 'marketplace';

export interface OutboundEntryView {
  _id: string;
  ts: string;
  purpose: OutboundPurpose;
  method?: string;
  endpoint: string;
  bytes: number;
  /** HTTP status or a short error ("refused", "network error") */
  status: string;
  ok?: boolean;
  payload: unknown;
  summarized?: boolean;
}
