import { useEffect, useRef } from 'react';
import { MeetIcon } from './MeetIcons';

/** One participant's tile: video (or their initials when there is none), name, mute, speaking ring. */
export function VideoTile({
  stream,
  name,
  local,
  hasVideo,
  muted,
  speaking,
  state,
  mirror,
  participantId,
}: {
  stream: MediaStream | null;
  name: string;
  local?: boolean;
  hasVideo: boolean;
  muted?: boolean;
  speaking?: boolean;
  state?: string;
  mirror?: boolean;
  participantId: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) void el.play().catch(() => undefined);
  }, [stream, hasVideo]);

  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  const connecting = !local && state && state !== 'connected';
  return (
    <figure className={`meet-tile${speaking ? ' is-speaking' : ''}${hasVideo ? '' : ' no-video'}`} data-participant={participantId} data-state={state ?? 'local'} aria-label={`${name}${local ? ' (you)' : ''}`}>
      {/* a local preview is muted so we do not hear ourselves; remote audio plays from the same element */}
      <video ref={video} autoPlay playsInline muted={local} className={mirror ? 'mirrored' : undefined} />
      {!hasVideo && (
        <div className="meet-tile-avatar" aria-hidden="true">
          {initials || '?'}
        </div>
      )}
      <figcaption>
        {muted && <MeetIcon name="micOff" size={14} label="Muted" />}
        <span>
          {name}
          {local ? ' (you)' : ''}
        </span>
        {connecting && <span className="meet-tile-state">{state === 'failed' ? 'reconnecting…' : 'connecting…'}</span>}
      </figcaption>
    </figure>
  );
}
