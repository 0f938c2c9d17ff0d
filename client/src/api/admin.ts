/**
 * REST calls of the admin pages (settings, users, rooms). Every one of them is refused by the
 * server for non-admins; the pages are only shown to admins as well.
 */
import type {
  CloudRegistrationDto,
  EgressPurposeName,
  OutboundLogResult,
  RoleName,
  RoomDto,
  RoomType,
  SettingDto,
  StatisticsInfoDto,
  StatisticsPreviewDto,
  StatisticsSharingDto,
  UserDto,
} from '@obmeet/contracts';
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

// ---- workspace info, statistics sharing, cloud registration, outbound data log ----------------

export const cloudAdminApi = {
  info: () => get<Ok<{ info: StatisticsInfoDto }>>('statistics.info').then((r) => r.info),
  preview: () => get<Ok<{ preview: StatisticsPreviewDto }>>('statistics.preview').then((r) => r.preview),
  sharing: () => get<Ok<{ sharing: StatisticsSharingDto }>>('statistics.sharing').then((r) => r.sharing),
  setSharing: (enabled: boolean) => post<Ok<{ sharing: StatisticsSharingDto }>>('statistics.sharing', { enabled }).then((r) => r.sharing),
  registration: (verify = false) =>
    get<Ok<{ registration: CloudRegistrationDto }>>('cloud.registration', verify ? { verify: 'true' } : {}).then((r) => r.registration),
  register: (token: string) => post<Ok<{ registration: CloudRegistrationDto }>>('cloud.register', { token }).then((r) => r.registration),
  refresh: () => post<Ok<{ registration: CloudRegistrationDto }>>('cloud.refresh', {}).then((r) => r.registration),
  unregister: (forgetLocally = false) =>
    post<Ok<{ registration: CloudRegistrationDto }>>('cloud.unregister', { forgetLocally }).then((r) => r.registration),
  outboundLog: (q: { purpose?: EgressPurposeName; count: number; offset: number }) =>
    get<Ok<OutboundLogResult>>('outbound.log', { count: q.count, offset: q.offset, ...(q.purpose ? { purpose: q.purpose } : {}) }),
};
