/**
 * Who is signed in. The session itself is an httpOnly cookie set by the server; the client
 * only learns the user from /me (on load) or the login response.
 */
import { useSyncExternalStore } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { accountsApi, ApiError, onUnauthorized, type ServerInfo } from '../../api';
import { chatStore } from '../../state/chatStore';

export type SessionState =
  | { status: 'loading'; info: ServerInfo | null }
  | { status: 'anonymous'; info: ServerInfo | null; notice?: string }
  | { status: 'authenticated'; info: ServerInfo | null; me: UserDto };

let state: SessionState = { status: 'loading', info: null };
const listeners = new Set<() => void>();

function setState(next: SessionState) {
  state = next;
  listeners.forEach((l) => l());
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export function isAdmin(user: UserDto | null | undefined): boolean {
  return Boolean(user?.roles.includes('admin'));
}

async function loadInfo(): Promise<ServerInfo | null> {
  try {
    const { success: _ok, ...info } = await accountsApi.info();
    return info;
  } catch {
    return null;
  }
}

async function signedIn(me: UserDto, info: ServerInfo | null) {
  setState({ status: 'authenticated', info, me });
  chatStore.onSessionEnded = () => void endSession('Your session has ended. Please log in again.');
  try {
    await chatStore.start(me);
  } catch (e) {
    console.warn('loading rooms failed', e);
  }
}

/** On page load: is there a session cookie the server still accepts? */
export async function bootstrapSession(): Promise<void> {
  const info = await loadInfo();
  try {
    const me = await accountsApi.me();
    await signedIn(me, info);
  } catch (e) {
    if (!(e instanceof ApiError)) console.warn('could not check the session', e);
    setState({ status: 'anonymous', info });
  }
}

export async function logIn(user: string, password: string): Promise<void> {
  const me = await accountsApi.login(user, password);
  await signedIn(me, state.info ?? (await loadInfo()));
}

export async function signUp(data: { name: string; username: string; email: string; password: string; inviteToken?: string }) {
  await accountsApi.register({
    name: data.name,
    username: data.username,
    email: data.email,
    pass: data.password,
    ...(data.inviteToken ? { inviteToken: data.inviteToken } : {}),
  });
  await logIn(data.username, data.password);
  // the first account makes the setup done: refresh what the sign-up page showed
  const info = await loadInfo();
  if (state.status === 'authenticated') setState({ ...state, info });
}

async function endSession(notice?: string) {
  chatStore.stop();
  setState({ status: 'anonymous', info: await loadInfo(), notice });
}

export async function logOut(): Promise<void> {
  try {
    await accountsApi.logout();
  } finally {
    await endSession();
  }
}

export function updateMe(me: UserDto): void {
  if (state.status === 'authenticated') setState({ ...state, me });
  chatStore.setMe(me);
}

// any 401 while signed in means the server dropped the session (expired, revoked, logged out elsewhere)
onUnauthorized(() => {
  if (state.status === 'authenticated') void endSession('Your session has ended. Please log in again.');
});
