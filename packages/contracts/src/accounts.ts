import { z } from 'zod';
import { Email, Id, Password, RoleName, Username } from './common.js';

export const RegisterBody = z
  .object({
    username: Username,
    email: Email,
    pass: Password,
    name: z.string().trim().min(1).max(120),
    inviteToken: z.string().max(128).optional(),
  })
  .strict();
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z
  .object({
    user: z.string().min(1).max(254),
    password: z.string().min(1).max(256),
    /** ask for a browser session cookie instead of (also) returning the token */
    cookie: z.boolean().optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password }).strict();

export const UpdateProfileBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    username: Username.optional(),
    email: Email.optional(),
    avatarUrl: z.string().url().max(2048).regex(/^https?:\/\//, 'http(s) only').or(z.literal('')).optional(),
  })
  .strict();
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const CreatePatBody = z.object({ tokenName: z.string().trim().min(1).max(64) }).strict();
export const RemovePatBody = z.object({ tokenName: z.string().trim().min(1).max(64) }).strict();

export const AdminCreateUserBody = z
  .object({
    username: Username,
    email: Email,
    password: Password,
    name: z.string().trim().min(1).max(120),
    roles: z.array(RoleName).min(1).max(5).optional(),
    type: z.enum(['user', 'bot']).optional(),
  })
  .strict();
export const SetActiveBody = z.object({ userId: Id, activeStatus: z.boolean() }).strict();
export const SetRolesBody = z.object({ userId: Id, roles: z.array(RoleName).min(1).max(5) }).strict();
export const UserInfoQuery = z.union([
  z.object({ userId: Id }).strict(),
  z.object({ username: Username }).strict(),
]);
export const CreateInviteBody = z.object({ maxUses: z.number().int().min(1).max(1000).default(1) }).strict();

export interface UserDto {
  _id: string;
  username: string;
  name: string;
  emails?: { address: string; verified: boolean }[];
  roles: RoleName[];
  type: 'user' | 'bot';
  active: boolean;
  avatarUrl?: string;
  status: 'online' | 'away' | 'offline';
  createdAt: string;
  /** admins only */
  lastLogin?: string;
}
