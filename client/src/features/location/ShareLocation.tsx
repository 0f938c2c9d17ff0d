import { useEffect, useState } from 'react';
import type { MessageLocation } from '@obmeet/contracts';
import { errorMessage, locationApi } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { chatStore } from '../../state/chatStore';
import '../../styles/features-extra.css';

/** The OpenStreetMap page of a point (the same link the server puts in the message). */
export function openStreetMapUrl(lat: number, lng: number): string {
  const la = lat.toFixed(6);
  const lo = lng.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${la}&mlon=${lo}#map=16/${la}/${lo}`;
}

function formatCoordinate(value: number, positive: string, negative: string): string {
  return `${Math.abs(value).toFixed(5)}° ${value >= 0 ? positive : negative}`;
}

/**
 * A shared location: coordinates, accuracy and a link to OpenStreetMap. Deliberately no embedded
 * map, so showing the message makes no request to a third party.
 */
export function LocationCard({ location }: { location: MessageLocation }) {
  const { lat, lng, accuracy } = location;
  return (
    <div className="location-card" data-testid="location-card">
      <span className="location-card-icon">
        <Icon name="mapPin" size={24} />
      </span>
      <span className="location-card-text">
        <strong>Shared location</strong>
        <span>
          {formatCoordinate(lat, 'N', 'S')}, {formatCoordinate(lng, 'E', 'W')}
        </span>
        {accuracy !== undefined && <span className="muted small">Accurate to about {accuracy} m</span>}
        <a href={openStreetMapUrl(lat, lng)} target="_blank" rel="noopener noreferrer" className="location-card-link">
          Open in OpenStreetMap
        </a>
      </span>
    </div>
  );
}

/** Asks the browser where we are (the user grants it), as a promise. */
function currentPosition(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('This browser cannot tell your location.'));
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, (err) => {
      const reasons: Record<number, string> = {
        1: 'You did not allow this page to read your location.',
        2: 'Your location is not available right now.',
        3: 'Finding your location took too long.',
      };
      reject(new Error(reasons[err.code] ?? err.message));
    }, { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 });
  });
}

/**
 * "Share location" in the composer's menu, shown there only while the admin enables the public
 * setting `location.sharingEnabled`. Shows the position and asks before posting it.
 */
export function ShareLocationAction({ rid, tmid, onDone }: { rid: string; tmid?: string; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" role="menuitem" onClick={() => setAsking(true)}>
        <Icon name="mapPin" size={16} /> Share location
      </button>
      {asking && (
        <ShareLocationDialog
          rid={rid}
          tmid={tmid}
          onClose={() => {
            setAsking(false);
            onDone();
          }}
        />
      )}
    </>
  );
}

function ShareLocationDialog({ rid, tmid, onClose }: { rid: string; tmid?: string; onClose: () => void }) {
  const [position, setPosition] = useState<MessageLocation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    let cancelled = false;
    currentPosition().then(
      (p) => !cancelled && setPosition({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.round(p.coords.accuracy) }),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const share = async () => {
    if (!position) return;
    setSending(true);
    try {
      await locationApi.share({ roomId: rid, latitude: position.lat, longitude: position.lng, accuracy: position.accuracy, ...(tmid ? { tmid } : {}) });
      onClose();
    } catch (e) {
      setSending(false);
      setError(errorMessage(e));
      chatStore.toast({ text: `Location not shared: ${errorMessage(e)}`, kind: 'error' });
    }
  };

  return (
    <Dialog
      title="Share your location"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button-primary" data-autofocus disabled={!position || sending} onClick={() => void share()}>
            {sending ? 'Sharing…' : 'Share'}
          </button>
        </>
      }
    >
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : position ? (
        <>
          <p>Everyone in this room will see this position:</p>
          <LocationCard location={position} />
        </>
      ) : (
        <p className="muted">Finding your location…</p>
      )}
    </Dialog>
  );
}
