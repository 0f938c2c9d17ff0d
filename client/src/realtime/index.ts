/**
 * The realtime client: one socket.io connection per signed-in tab, authenticated by the
 * session cookie at the handshake. It reports its connection state so the UI can show
 * "Reconnecting…", and tells listeners each time it (re)connects so they can catch up.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@obmeet/contracts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';
export type ObmeetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type EventName = keyof ServerToClientEvents;

export class RealtimeClient {
  private socket: ObmeetSocket | null = null;
  private state: ConnectionState = 'connecting';
  private everConnected = false;
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly connectListeners = new Set<(isReconnect: boolean) => void>();
  private readonly authFailureListeners = new Set<() => void>();

  /** Opens the connection. Handlers registered with `on` before or after are kept. */
  start(): void {
    if (this.socket) return;
    // websocket only: no long-polling, so several server nodes behind a proxy need no sticky sessions
    const socket: ObmeetSocket = io({
      path: '/socket.io',
      transports: ['websocket'],
      withCredentials: true,
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('connect', () => {
      const isReconnect = this.everConnected;
      this.everConnected = true;
      this.setState('connected');
      this.connectListeners.forEach((l) => l(isReconnect));
    });
    socket.on('disconnect', (reason) => {
      this.setState('reconnecting');
      // the server closed us on purpose (e.g. session ended): socket.io does not retry by itself
      if (reason === 'io server disconnect') this.authFailureListeners.forEach((l) => l());
    });
    socket.on('connect_error', (err) => {
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
      if (/unauthori[sz]ed|authentication/i.test(err.message)) this.authFailureListeners.forEach((l) => l());
    });
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('online', this.handleOnline);
  }

  stop(): void {
    window.removeEventListener('offline', this.handleOffline);
    window.removeEventListener('online', this.handleOnline);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.everConnected = false;
    this.state = 'connecting';
  }

  // The browser knows it lost the network before the socket's ping timeout does:
  // drop the socket at once, show the banner, and reconnect when the network is back.
  private readonly handleOffline = () => {
    if (!this.socket) return;
    this.socket.disconnect();
    this.setState('reconnecting');
  };

  private readonly handleOnline = () => {
    if (this.socket && !this.socket.connected) this.socket.connect();
  };

  private setState(state: ConnectionState) {
    if (state === this.state) return;
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  onStateChange(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called on every successful connect; `isReconnect` is false the first time. */
  onConnect(listener: (isReconnect: boolean) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  onAuthFailure(listener: () => void): () => void {
    this.authFailureListeners.add(listener);
    return () => this.authFailureListeners.delete(listener);
  }

  on<E extends EventName>(event: E, handler: ServerToClientEvents[E]): () => void {
    if (!this.socket) throw new Error('realtime client not started');
    const socket = this.socket;
    // socket.io's typed `on` cannot relate a generic event name to its handler type
    (socket.on as (e: string, h: (...args: unknown[]) => void) => void)(event, handler as (...args: unknown[]) => void);
    return () => {
      (socket.off as (e: string, h: (...args: unknown[]) => void) => void)(event, handler as (...args: unknown[]) => void);
    };
  }

  sendTyping(rid: string, typing: boolean, tmid?: string): void {
    if (this.socket?.connected) this.socket.emit('typing', tmid ? { rid, typing, tmid } : { rid, typing });
  }

  setPresence(status: 'online' | 'away'): void {
    if (this.socket?.connected) this.socket.emit('presence.set', { status });
  }

  /** For tests and diagnostics: drop the connection as a network failure would. */
  simulateDrop(): void {
    this.socket?.io.engine?.close();
  }
}

export const realtime = new RealtimeClient();
