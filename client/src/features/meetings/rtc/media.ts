/** Camera, microphone and screen capture, with sizes small enough for a mesh. */

export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640, max: 1280 },
  height: { ideal: 360, max: 720 },
  frameRate: { ideal: 24, max: 30 },
};

/** Tests and low-bandwidth set-ups may lower the size: `localStorage['obmeet.meet.video']` = "320x240@15". */
export function videoConstraints(): MediaTrackConstraints {
  try {
    const m = /^(\d+)x(\d+)@(\d+)$/.exec(window.localStorage.getItem('obmeet.meet.video') ?? '');
    if (m) return { width: { ideal: Number(m[1]), max: Number(m[1]) }, height: { ideal: Number(m[2]), max: Number(m[2]) }, frameRate: { ideal: Number(m[3]), max: Number(m[3]) } };
  } catch {
    /* storage blocked */
  }
  return VIDEO_CONSTRAINTS;
}

export async function openMicrophone(deviceId?: string): Promise<MediaStreamTrack> {
  const s = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
  return s.getAudioTracks()[0]!;
}

export async function openCamera(deviceId?: string): Promise<MediaStreamTrack> {
  const s = await navigator.mediaDevices.getUserMedia({ video: { ...videoConstraints(), ...(deviceId ? { deviceId: { exact: deviceId } } : {}) } });
  return s.getVideoTracks()[0]!;
}

export async function openScreen(): Promise<MediaStreamTrack> {
  const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10, max: 15 } }, audio: false });
  return s.getVideoTracks()[0]!;
}

/** A sentence for a getUserMedia/getDisplayMedia failure. */
export function mediaErrorMessage(e: unknown, what: 'camera' | 'microphone' | 'screen'): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError') return what === 'screen' ? 'Screen sharing was cancelled or not allowed.' : `The browser did not allow the ${what}.`;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No ${what} was found.`;
  if (name === 'NotReadableError') return `The ${what} is in use by another program.`;
  return `Could not open the ${what}: ${e instanceof Error ? e.message : String(e)}`;
}
