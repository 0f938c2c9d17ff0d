/**
 * The typed REST client: one function per server endpoint the web client uses.
 * Request and response shapes follow packages/contracts (Rocket.Chat names).
 */
import type {
  EphemeralMessageDto,
  HistoryPage,
  MemberDto,
  MessageDto,
  RoomDto,
  SubscriptionDto,
  SyncResult,
  UserDto,
} from '@obmeet/contracts';
import { get, post } from './http';

export { ApiError, errorMessage, isNetworkError, onUnauthorized } from './http';

export interface ServerInfo {
  info: { version: string };
  setupDone: boolean;
  registration: 'open' | 'invite' | 'closed';
}

export interface PersonalAccessToken {
  name: string;
  createdAt: string;
  lastTokenPart: string;
}

export interface SlashCommand {
  command: string;
  params?: string;
  description?: string;
}

interface Paged {
  count: number;
  offset: number;
  total: number;
}

type Ok<T> = { success: true } & T;

// ---- accounts --------------------------------------------------------------

export const accountsApi = {
  info: () => get<Ok<ServerInfo>>('info'),

  async login(user: string, password: string): Promise<UserDto> {
    const r = await post<{ status: 'success'; data: { userId: string; authToken: string; me: UserDto } }>('login', {
      user,
      password,
      cookie: true,
    });
    return r.data.me;
  },

  logout: () => post<Ok<object>>('logout'),

  async me(): Promise<UserDto> {
    const { success: _ok, ...user } = await get<Ok<UserDto>>('me');
    return user;
  },

  register: (body: { username: string; email: string; pass: string; name: string; inviteToken?: string }) =>
    post<Ok<{ user: UserDto }>>('users.register', body),

  userInfo: (ref: { userId: string } | { username: string }) => get<Ok<{ user: UserDto }>>('users.info', ref),

  listUsers: (query: string, count = 20, offset = 0) =>
    get<Ok<Paged & { users: UserDto[] }>>('users.list', { query, count, offset }),

  updateOwnBasicInfo: (data: { name?: string; username?: string; email?: string; avatarUrl?: string }) =>
    post<Ok<{ user: UserDto }>>('users.updateOwnBasicInfo', data),

  changePassword: (currentPassword: string, newPassword: string) =>
    post<Ok<object>>('users.changePassword', { currentPassword, newPassword }),

  generateToken: (tokenName: string) => post<Ok<{ token: string }>>('users.generatePersonalAccessToken', { tokenName }),

  listTokens: () => get<Ok<{ tokens: PersonalAccessToken[] }>>('users.getPersonalAccessTokens'),

  removeToken: (tokenName: string) => post<Ok<object>>('users.removePersonalAccessToken', { tokenName }),
};

// ---- rooms -----------------------------------------------------------------

/** Public channels use `channels.*`, private groups `groups.*`; the bodies are the same. */
function roomPrefix(t: RoomDto['t']): 'channels' | 'groups' {
  return t === 'c' ? 'channels' : 'groups';
}

export const roomsApi = {
  async create(kind: 'c' | 'p', body: { name: string; members: string[]; readOnly?: boolean; topic?: string }) {
    if (kind === 'c') return (await post<Ok<{ channel: RoomDto }>>('channels.create', body)).channel;
    return (await post<Ok<{ group: RoomDto }>>('groups.create', body)).group;
  },

  /** public channels; `query` matches the name (server side) */
  directory: (count: number, offset: number, query?: string) =>
    get<Ok<Paged & { channels: RoomDto[] }>>('channels.list', { count, offset, query }),

  info: (t: RoomDto['t'], roomId: string) =>
    t === 'c'
      ? get<Ok<{ channel: RoomDto }>>('channels.info', { roomId }).then((r) => r.channel)
      : get<Ok<{ group: RoomDto }>>('groups.info', { roomId }).then((r) => r.group),
  join: (roomId: string) => post<Ok<object>>('channels.join', { roomId }),
  leave: (t: RoomDto['t'], roomId: string) => post<Ok<object>>(`${roomPrefix(t)}.leave`, { roomId }),
  invite: (t: RoomDto['t'], roomId: string, userId: string) =>
    post<Ok<object>>(`${roomPrefix(t)}.invite`, { roomId, userId }),
  kick: (t: RoomDto['t'], roomId: string, userId: string) =>
    post<Ok<object>>(`${roomPrefix(t)}.kick`, { roomId, userId }),
  rename: (t: RoomDto['t'], roomId: string, name: string) =>
    post<Ok<object>>(`${roomPrefix(t)}.rename`, { roomId, name }),
  setTopic: (t: RoomDto['t'], roomId: string, topic: string) =>
    post<Ok<object>>(`${roomPrefix(t)}.setTopic`, { roomId, topic }),
  setAnnouncement: (t: RoomDto['t'], roomId: string, announcement: string) =>
    post<Ok<object>>(`${roomPrefix(t)}.setAnnouncement`, { roomId, announcement }),
  setArchived: (t: RoomDto['t'], roomId: string, archived: boolean) =>
    post<Ok<object>>(`${roomPrefix(t)}.${archived ? 'archive' : 'unarchive'}`, { roomId }),
  members: (t: RoomDto['t'], roomId: string) =>
    get<Ok<{ members: MemberDto[]; total: number }>>(`${roomPrefix(t)}.members`, { roomId }),

  openDirect: (usernames: string[]) =>
    post<Ok<{ room: RoomDto }>>('im.create', usernames.length === 1 ? { username: usernames[0] } : { usernames: usernames.join(',') }),

  mine: () => get<Ok<{ update: RoomDto[] }>>('rooms.get'),
  subscriptions: () => get<Ok<{ update: SubscriptionDto[] }>>('subscriptions.get'),
  markRead: (rid: string) => post<Ok<object>>('subscriptions.read', { rid }),
  setFavorite: (roomId: string, favorite: boolean) => post<Ok<object>>('rooms.favorite', { roomId, favorite }),
  setFlags: (roomId: string, flags: { favorite?: boolean; muted?: boolean; open?: boolean }) =>
    post<Ok<object>>('subscriptions.setFlags', { roomId, ...flags }),
};

// ---- messages --------------------------------------------------------------

export const messagesApi = {
  history: (roomId: string, before?: number, count = 50) =>
    get<Ok<HistoryPage>>('chat.history', { roomId, before, count }),
  around: (roomId: string, around: string, count = 50) =>
    get<Ok<HistoryPage>>('chat.history', { roomId, around, count }),

  /** `_id` is generated by the client, so a retry can never create a duplicate. */
  send: (message: { _id: string; rid: string; msg: string; tmid?: string; tshow?: boolean }, timeoutMs: number) =>
    post<Ok<{ message: MessageDto }>>('chat.sendMessage', { message }, { timeoutMs }),

  update: (roomId: string, msgId: string, text: string) =>
    post<Ok<{ message?: MessageDto }>>('chat.update', { roomId, msgId, text }),
  remove: (roomId: string, msgId: string) => post<Ok<object>>('chat.delete', { roomId, msgId }),
  react: (messageId: string, emoji: string) => post<Ok<object>>('chat.react', { messageId, emoji }),
  getMessage: (msgId: string) => get<Ok<{ message: MessageDto }>>('chat.getMessage', { msgId }),
  threadMessages: (tmid: string, count = 50, offset = 0) =>
    get<Ok<{ messages: MessageDto[]; total: number; count?: number; offset?: number }>>('chat.getThreadMessages', {
      tmid,
      count,
      offset,
    }),
  sync: (roomId: string, since: number) =>
    get<Ok<{ result: SyncResult }>>('chat.syncMessages', { roomId, since }),
  setPinned: (messageId: string, pinned: boolean) =>
    post<Ok<object>>(pinned ? 'chat.pinMessage' : 'chat.unPinMessage', { messageId }),
  setStarred: (messageId: string, starred: boolean) =>
    post<Ok<object>>(starred ? 'chat.starMessage' : 'chat.unStarMessage', { messageId }),

  slashCommands: () => get<Ok<{ commands: SlashCommand[] }>>('commands.list'),
  runCommand: (command: string, params: string, roomId: string, tmid?: string) =>
    post<
      Ok<{ response_type: 'ephemeral'; message: EphemeralMessageDto; pending?: true } | { response_type: 'in_channel'; message: MessageDto }>
    >('commands.run', { command, params, roomId, ...(tmid ? { tmid } : {}) }),
};
export { filesApi, loadSettings, uploadFile, type UploadHandle, type UploadProgress } from './files';
export { searchApi } from './search';
export { locationApi } from './location';
export { integrationsApi, type IntegrationSecrets, type IncomingWebhookInput, type OutgoingWebhookInput } from './integrations';
export { adminApi, cloudAdminApi, type SettingValueInput } from './admin';
