import { useState } from 'react';
import { useChat, type PresenceStatus } from '../state/chatStore';

const COLORS = ['#e11d48', '#db2777', '#9333ea', '#4f46e5', '#2563eb', '#0891b2', '#059669', '#65a30d', '#d97706', '#ea580c'];

function colorFor(username: string): string {
  let hash = 0;
  for (const ch of username) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[hash % COLORS.length];
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[1][0]).toUpperCase();
  return name.slice(0, 2).toUpperCase();
}

/** A user's picture (when they set one) or coloured initials, with an optional presence dot. */
export function Avatar({
  username,
  size = 36,
  showPresence = false,
  statusOverride,
  imageUrl,
}: {
  username: string;
  size?: number;
  showPresence?: boolean;
  statusOverride?: PresenceStatus;
  /** a picture chosen by the message itself (bots, webhooks) */
  imageUrl?: string;
}) {
  const user = useChat((s) => s.users[username]);
  const status = useChat((s) => s.presence[username]);
  const [broken, setBroken] = useState<string | null>(null);
  const name = user?.name || username;
  const candidate = imageUrl ?? user?.avatarUrl;
  const url = candidate && /^https?:\/\//i.test(candidate) && candidate !== broken ? candidate : null;
  return (
    <span className="avatar" style={{ width: size, height: size, fontSize: Math.round(size * 0.4) }} aria-hidden="true">
      {url ? (
        <img src={url} alt="" width={size} height={size} referrerPolicy="no-referrer" onError={() => setBroken(url)} />
      ) : (
        <span className="avatar-initials" style={{ background: colorFor(username) }}>
          {initials(name)}
        </span>
      )}
      {showPresence && <PresenceDot status={statusOverride ?? status ?? 'offline'} />}
    </span>
  );
}

const STATUS_LABEL: Record<PresenceStatus, string> = { online: 'Online', away: 'Away', offline: 'Offline' };

export function PresenceDot({ status, inline = false }: { status: PresenceStatus; inline?: boolean }) {
  return (
    <span
      className={`presence presence-${status}${inline ? ' presence-inline' : ''}`}
      title={STATUS_LABEL[status]}
      role="img"
      aria-label={STATUS_LABEL[status]}
      data-status={status}
    />
  );
}
