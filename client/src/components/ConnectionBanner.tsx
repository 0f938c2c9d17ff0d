import { useEffect, useState } from 'react';
import { useChat } from '../state/chatStore';

/** Tells people their view may be stale while the realtime connection is down. */
export function ConnectionBanner() {
  const connection = useChat((s) => s.connection);
  // the first connect normally takes a few milliseconds: only mention it when it drags on
  const [slowFirstConnect, setSlowFirstConnect] = useState(false);
  useEffect(() => {
    if (connection !== 'connecting') return setSlowFirstConnect(false);
    const timer = setTimeout(() => setSlowFirstConnect(true), 2000);
    return () => clearTimeout(timer);
  }, [connection]);
  if (connection === 'connected' || (connection === 'connecting' && !slowFirstConnect)) return null;
  return (
    <div className="connection-banner" role="status" aria-live="polite" data-testid="reconnecting-banner">
      <span className="spinner" aria-hidden="true" />
      {connection === 'reconnecting' ? 'Reconnecting… new messages will appear when the connection is back.' : 'Connecting…'}
    </div>
  );
}
