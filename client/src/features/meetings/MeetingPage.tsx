/**
 * The meeting page (`/meet/<id or link token>`): pre-join screen with camera/microphone
 * preview, the lobby for guests, then the call itself — video grid, controls, participant
 * list with moderator actions, the meeting thread as chat, the recording banner.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { UserDto } from '@obmeet/contracts';
import { errorMessage } from '../../api';
import { navigate, roomPath } from '../../lib/router';
import { ThreadPanel } from '../messages/ThreadPanel';
import { MeetIcon } from './MeetIcons';
import { createMeetingClient, type MeetingClient, type MeetingEvent } from './meetingClient';
import { refusalText, type JoinOutcome, type MeetingView, type RefusalReason } from './model';
import { LOCAL_ID, MeshEngine, type MeshSnapshot } from './rtc/mesh';
import { mediaErrorMessage, openCamera, openMicrophone } from './rtc/media';
import { MeetingRecorder } from './rtc/recorder';
import { VideoTile } from './VideoTile';
import './meetings.css';

type Phase =
  | { name: 'loading' }
  | { name: 'prejoin' }
  | { name: 'joining' }
  | { name: 'lobby' }
  | { name: 'in'; selfId: string }
  | { name: 'refused'; reason: RefusalReason; message: string; audioOnlyPossible: boolean }
  | { name: 'left' }
  | { name: 'error'; message: string };

declare global {
  interface Window {
    /** a small debug hook the browser tests read (stats, candidates) */
    __obmeet?: { participantId: string; mode: () => string; stats: MeshEngine['stats']; candidates: MeshEngine['candidates']; speakerLevels: MeshEngine['speakerLevels'] };
  }
}

/** A short two-tone chime so people hear that recording started or stopped. */
function chime(up: boolean): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.connect(gain).connect(ctx.destination);
    gain.gain.value = 0.08;
    osc.frequency.setValueAtTime(up ? 660 : 880, ctx.currentTime);
    osc.frequency.setValueAtTime(up ? 880 : 660, ctx.currentTime + 0.18);
    osc.start();
    osc.stop(ctx.currentTime + 0.36);
    osc.onended = () => void ctx.close();
  } catch {
    /* no audio output */
  }
}

export function MeetingPage({ idOrToken, me }: { idOrToken: string; me: UserDto | null }) {
  const client = useMemo(() => createMeetingClient(idOrToken, me), [idOrToken, me]);
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [meeting, setMeeting] = useState<MeetingView | null>(null);
  const [engine, setEngine] = useState<MeshEngine | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const preview = useRef<{ mic: MediaStreamTrack | null; camera: MediaStreamTrack | null }>({ mic: null, camera: null });
  /** what the last join asked for: a camera that is only off may be started later; "audio only" may not */
  const asked = useRef<{ video: boolean; audioOnly: boolean }>({ video: true, audioOnly: false });
  const engineRef = useRef<MeshEngine | null>(null);

  useEffect(() => {
    let gone = false;
    client.load().then(
      (m) => {
        if (gone) return;
        setMeeting(m);
        if (m.status === 'ended' || m.status === 'cancelled') setPhase({ name: 'refused', reason: 'ended', message: refusalText('ended'), audioOnlyPossible: false });
        else setPhase({ name: 'prejoin' });
      },
      (e: unknown) => !gone && setPhase({ name: 'error', message: errorMessage(e) }),
    );
    const previewTracks = preview.current;
    return () => {
      gone = true;
      // devices opened for a preview (or kept while waiting in the lobby) are released with the page
      previewTracks.mic?.stop();
      previewTracks.camera?.stop();
      engineRef.current?.close();
      engineRef.current = null;
      void client.leave();
      client.close();
      delete window.__obmeet;
    };
  }, [client]);

  const startEngine = useCallback(
    (outcome: Extract<JoinOutcome, { kind: 'joined' }>) => {
      engineRef.current?.close();
      const e = new MeshEngine({
        selfId: outcome.selfId,
        iceServers: outcome.iceServers,
        transport: client.transport,
        // the server said no video (full) only if we asked for it; joining with the camera off keeps the option
        sendVideo: outcome.video || (!asked.current.video && !asked.current.audioOnly),
        micTrack: preview.current.mic,
        cameraTrack: preview.current.camera, // the engine stops it when we are audio-only
        mode: outcome.meeting.media,
        sfu: client.sfu,
      });
      preview.current.mic = null; // the engine owns them now
      preview.current.camera = null;
      e.start();
      e.setParticipants(outcome.meeting.participants.map((p) => p.id));
      engineRef.current = e;
      window.__obmeet = { participantId: outcome.selfId, mode: () => e.mediaMode, stats: () => e.stats(), candidates: () => e.candidates(), speakerLevels: () => e.speakerLevels() };
      setEngine(e);
      setMeeting(outcome.meeting);
      setPhase({ name: 'in', selfId: outcome.selfId });
    },
    [client],
  );

  // events from the server while in the lobby or the meeting
  useEffect(() => {
    return client.subscribe((ev: MeetingEvent) => {
      switch (ev.type) {
        case 'update': {
          const m = client.meeting();
          if (m) {
            setMeeting((prev) => {
              if (prev && prev.recording !== m.recording) chime(m.recording);
              return m;
            });
            // over the mesh limit the meeting moves to the SFU: every link is replaced
            engineRef.current?.setMode(m.media);
            engineRef.current?.setParticipants(m.participants.map((p) => p.id));
          }
          break;
        }
        case 'admitted':
          startEngine(ev.outcome);
          break;
        case 'refused':
        case 'removed':
        case 'ended': {
          engineRef.current?.close();
          engineRef.current = null;
          setEngine(null);
          const reason: RefusalReason = ev.type === 'refused' ? ev.reason : ev.type;
          setPhase({ name: 'refused', reason, message: refusalText(reason, ev.type === 'refused' ? ev.message : undefined), audioOnlyPossible: false });
          break;
        }
        case 'muted':
          engineRef.current?.setMicEnabled(false);
          void client.setMedia({ audio: false });
          setNotice('A moderator muted your microphone.');
          break;
      }
    });
  }, [client, startEngine]);

  const join = async (options: { audio: boolean; video: boolean; audioOnly?: boolean; guest?: { name: string; email: string } }) => {
    asked.current = { video: options.video, audioOnly: !!options.audioOnly };
    setPhase({ name: 'joining' });
    try {
      const outcome = await client.join({ audio: options.audio, video: options.video, ...(options.guest ? { guest: options.guest } : {}) });
      if (outcome.kind === 'joined') startEngine(outcome);
      else if (outcome.kind === 'lobby') {
        if (outcome.meeting) setMeeting(outcome.meeting);
        setPhase({ name: 'lobby' });
      } else setPhase({ name: 'refused', reason: outcome.reason, message: refusalText(outcome.reason, outcome.message), audioOnlyPossible: outcome.audioOnlyPossible });
    } catch (e) {
      setPhase({ name: 'error', message: errorMessage(e) });
    }
  };

  const leave = async () => {
    engineRef.current?.close();
    engineRef.current = null;
    setEngine(null);
    await client.leave();
    setPhase({ name: 'left' });
  };

  const title = meeting?.title ?? 'Meeting';
  return (
    <div className="meet-page" data-phase={phase.name}>
      <header className="meet-header">
        <MeetIcon name="video" />
        <h1>{title}</h1>
        {meeting && me && (
          <a className="muted" href={roomPath(meeting.rid)} onClick={(e) => (e.preventDefault(), navigate(roomPath(meeting.rid)))}>
            Back to the room
          </a>
        )}
      </header>
      {meeting?.recording && (
        <div className="meet-banner-recording" role="status" aria-live="assertive">
          <span className="dot" aria-hidden="true" /> Recording — this meeting is being recorded
        </div>
      )}
      {phase.name === 'loading' && <div className="meet-center">Loading the meeting…</div>}
      {phase.name === 'error' && <CenterBox title="Something went wrong" text={phase.message} />}
      {(phase.name === 'prejoin' || phase.name === 'joining') && meeting && (
        <PreJoin meeting={meeting} me={me} busy={phase.name === 'joining'} previewRef={preview} onJoin={(o) => void join(o)} />
      )}
      {phase.name === 'lobby' && (
        <CenterBox title="Waiting to be let in" text="A moderator has been told you are here. This page opens the meeting as soon as they admit you.">
          <button type="button" className="button" onClick={() => void leave()}>
            Leave the lobby
          </button>
        </CenterBox>
      )}
      {phase.name === 'refused' && (
        <CenterBox title={phase.reason === 'ended' ? 'Meeting ended' : 'You cannot join'} text={phase.message} role="alert">
          {phase.audioOnlyPossible && (
            <button type="button" className="button button-primary" onClick={() => void join({ audio: true, video: false, audioOnly: true })}>
              Join with audio only
            </button>
          )}
          {meeting && me && (
            <button type="button" className="button" onClick={() => navigate(roomPath(meeting.rid))}>
              Back to the room
            </button>
          )}
        </CenterBox>
      )}
      {phase.name === 'left' && (
        <CenterBox title="You left the meeting" text="">
          <button type="button" className="button button-primary" onClick={() => setPhase({ name: 'prejoin' })}>
            Rejoin
          </button>
          {meeting && me && (
            <button type="button" className="button" onClick={() => navigate(roomPath(meeting.rid))}>
              Back to the room
            </button>
          )}
        </CenterBox>
      )}
      {phase.name === 'in' && engine && meeting && (
        <InMeeting client={client} engine={engine} meeting={meeting} me={me} selfId={phase.selfId} notice={notice} onDismissNotice={() => setNotice(null)} onLeave={() => void leave()} />
      )}
    </div>
  );
}

function CenterBox({ title, text, children, role }: { title: string; text: string; children?: React.ReactNode; role?: string }) {
  return (
    <div className="meet-center">
      <div className="meet-card-box" role={role}>
        <h2>{title}</h2>
        {text && <p>{text}</p>}
        {children && <div className="meet-toggles">{children}</div>}
      </div>
    </div>
  );
}

function PreJoin({
  meeting,
  me,
  busy,
  previewRef,
  onJoin,
}: {
  meeting: MeetingView;
  me: UserDto | null;
  busy: boolean;
  previewRef: React.RefObject<{ mic: MediaStreamTrack | null; camera: MediaStreamTrack | null }>;
  onJoin: (o: { audio: boolean; video: boolean; guest?: { name: string; email: string } }) => void;
}) {
  const [micOn, setMicOn] = useState(true);
  const [camOn, setCamOn] = useState(true);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  /** devices are being opened: joining now would enter without them */
  const [opening, setOpening] = useState(true);
  const [guestName, setGuestName] = useState('');
  const [guestEmail, setGuestEmail] = useState('');
  const video = useRef<HTMLVideoElement>(null);

  // (re)open the devices the toggles ask for; the tracks pass to the meeting on join
  useEffect(() => {
    let cancelled = false;
    const current = previewRef.current;
    setOpening(true);
    void (async () => {
      const problems: string[] = [];
      if (micOn && !current.mic) current.mic = await openMicrophone().catch((e: unknown) => (problems.push(mediaErrorMessage(e, 'microphone')), null));
      if (!micOn && current.mic) (current.mic.stop(), (current.mic = null));
      if (camOn && !current.camera) current.camera = await openCamera().catch((e: unknown) => (problems.push(mediaErrorMessage(e, 'camera')), null));
      if (!camOn && current.camera) (current.camera.stop(), (current.camera = null));
      if (cancelled) return;
      setOpening(false);
      setProblem(problems.join(' ') || null);
      setStream(new MediaStream([current.mic, current.camera].filter((t): t is MediaStreamTrack => !!t)));
    })();
    return () => {
      cancelled = true;
    };
  }, [micOn, camOn, previewRef]);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
  }, [stream]);

  const isGuest = !me;
  const canSubmit = !busy && !opening && (!isGuest || (guestName.trim().length > 0 && /^\S+@\S+\.\S+$/.test(guestEmail.trim())));
  return (
    <div className="meet-center">
      <form
        className="meet-card-box"
        aria-label="Join the meeting"
        onSubmit={(e) => {
          e.preventDefault();
          if (!canSubmit) return;
          onJoin({ audio: micOn, video: camOn, guest: isGuest ? { name: guestName.trim(), email: guestEmail.trim() } : undefined });
        }}
      >
        <h2>{meeting.title}</h2>
        {meeting.startedByName && <p className="muted">Started by {meeting.startedByName}</p>}
        <div className="meet-preview">
          <video ref={video} autoPlay playsInline muted />
          {!camOn && <div className="meet-tile-avatar">Camera is off</div>}
        </div>
        {problem && <p className="form-error">{problem}</p>}
        <div className="meet-toggles">
          <button type="button" className="button" aria-pressed={micOn} onClick={() => setMicOn((v) => !v)}>
            <MeetIcon name={micOn ? 'mic' : 'micOff'} size={16} /> {micOn ? 'Microphone on' : 'Microphone off'}
          </button>
          <button type="button" className="button" aria-pressed={camOn} onClick={() => setCamOn((v) => !v)}>
            <MeetIcon name={camOn ? 'video' : 'videoOff'} size={16} /> {camOn ? 'Camera on' : 'Camera off'}
          </button>
        </div>
        {meeting.recording && (
          <p className="meet-recording-note" role="alert">
            This meeting is being recorded. By joining you agree to be recorded.
          </p>
        )}
        {isGuest && (
          <div className="meet-form">
            <p className="muted">You are joining as a guest. A moderator lets you in.</p>
            <label>
              Your name
              <input className="input" value={guestName} onChange={(e) => setGuestName(e.target.value)} required maxLength={80} autoComplete="name" />
            </label>
            <label>
              Your email
              <input className="input" type="email" value={guestEmail} onChange={(e) => setGuestEmail(e.target.value)} required maxLength={200} autoComplete="email" />
            </label>
          </div>
        )}
        <button type="submit" className="button button-primary" disabled={!canSubmit}>
          {busy ? 'Joining…' : isGuest ? 'Ask to join' : 'Join meeting'}
        </button>
      </form>
    </div>
  );
}

function useMesh(engine: MeshEngine): MeshSnapshot {
  return useSyncExternalStore(
    (l) => engine.subscribe(l),
    () => engine.snapshot(),
  );
}

function InMeeting({
  client,
  engine,
  meeting,
  me,
  selfId,
  notice,
  onDismissNotice,
  onLeave,
}: {
  client: MeetingClient;
  engine: MeshEngine;
  meeting: MeetingView;
  me: UserDto | null;
  selfId: string;
  notice: string | null;
  onDismissNotice: () => void;
  onLeave: () => void;
}) {
  const mesh = useMesh(engine);
  const [panel, setPanel] = useState<'people' | 'chat' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recorder = useRef<MeetingRecorder | null>(null);
  const [recordingHere, setRecordingHere] = useState(false);
  const byId = new Map(meeting.participants.map((p) => [p.id, p]));
  const self = byId.get(selfId);
  const isMod = meeting.iAmModerator;

  const report = (e: unknown) => setError(errorMessage(e));
  const toggleMic = () => {
    const on = !mesh.micOn;
    if (on && !engine.snapshot().localStream.getAudioTracks()[0]) {
      openMicrophone()
        .then((t) => engine.setMicTrack(t))
        .then(() => client.setMedia({ audio: true }))
        .catch((e: unknown) => setError(mediaErrorMessage(e, 'microphone')));
      return;
    }
    engine.setMicEnabled(on);
    void client.setMedia({ audio: on }).catch(report);
  };
  const toggleCamera = () => {
    const on = !mesh.cameraOn;
    // on: the server first (it may refuse: the meeting has as many cameras as it can carry)
    (on
      ? client.setMedia({ video: true }).then(
          () => engine.setCameraEnabled(true).catch((e: unknown) => (void client.setMedia({ video: false }).catch(() => undefined), setError(mediaErrorMessage(e, 'camera')))),
          report,
        )
      : engine.setCameraEnabled(false).then(() => client.setMedia({ video: false }))
    ).catch(report);
  };
  const toggleScreen = () => {
    (mesh.screenSharing ? engine.stopScreenShare() : engine.startScreenShare()).catch((e: unknown) => setError(mediaErrorMessage(e, 'screen')));
  };

  const startRecording = async () => {
    try {
      const recordingId = await client.startRecording();
      const names = () => new Map(client.meeting()?.participants.map((p) => [p.id, p.name]) ?? []);
      const r = new MeetingRecorder(
        {
          streams: () => {
            const n = names();
            return engine.streams().map((s) => ({ ...s, label: s.id === LOCAL_ID ? (self?.name ?? 'Me') : (n.get(s.id) ?? 'Guest') }));
          },
        },
        { upload: (blob, index) => client.uploadChunk(recordingId, index, blob) },
        setError,
      );
      r.start();
      recorder.current = r;
      setRecordingHere(true);
    } catch (e) {
      report(e);
    }
  };
  const stopRecording = async () => {
    const r = recorder.current;
    recorder.current = null;
    setRecordingHere(false);
    try {
      await r?.stop();
      await client.stopRecording();
    } catch (e) {
      report(e);
    }
  };
  // a recorder that leaves finishes what it has uploaded
  useEffect(() => () => void recorder.current?.stop().then(() => client.stopRecording()).catch(() => undefined), [client]);

  const tiles = [
    { id: LOCAL_ID, stream: mesh.localStream, name: self?.name ?? me?.name ?? 'You', local: true, hasVideo: mesh.cameraOn || mesh.screenSharing, muted: !mesh.micOn, state: undefined as string | undefined },
    ...mesh.peers.map((p) => {
      const info = byId.get(p.id);
      return { id: p.id, stream: p.stream, name: info?.name ?? 'Connecting…', local: false, hasVideo: p.hasVideo && (info?.video ?? true), muted: info ? !info.audio : false, state: p.state };
    }),
  ];
  const cols = Math.ceil(Math.sqrt(tiles.length));

  return (
    <div className="meet-body">
      <div className="meet-stage">
        {notice && (
          <div className="meet-notice" role="status">
            {notice}{' '}
            <button type="button" className="link-button" onClick={onDismissNotice}>
              OK
            </button>
          </div>
        )}
        {error && (
          <div className="meet-notice" role="alert">
            {error}{' '}
            <button type="button" className="link-button" onClick={() => setError(null)}>
              OK
            </button>
          </div>
        )}
        {!mesh.sendVideo && <div className="meet-notice">You are in this meeting with audio only.</div>}
        <div className="meet-grid" data-media={mesh.mode} title={mesh.mode === 'sfu' ? 'Media goes through the media server' : 'Media goes directly between participants'} style={{ '--cols': cols } as React.CSSProperties}>
          {tiles.map((t) => (
            <VideoTile key={t.id} participantId={t.id} stream={t.stream} name={t.name} local={t.local} hasVideo={t.hasVideo} muted={t.muted} speaking={mesh.speaking.has(t.id)} state={t.state} mirror={t.local && !mesh.screenSharing} />
          ))}
        </div>
        <div className="meet-controls" role="toolbar" aria-label="Meeting controls">
          <button type="button" aria-pressed={!mesh.micOn} className={mesh.micOn ? '' : 'is-off'} onClick={toggleMic}>
            <MeetIcon name={mesh.micOn ? 'mic' : 'micOff'} /> {mesh.micOn ? 'Mute' : 'Unmute'}
          </button>
          {mesh.sendVideo && (
            <button type="button" aria-pressed={!mesh.cameraOn} className={mesh.cameraOn ? '' : 'is-off'} onClick={toggleCamera}>
              <MeetIcon name={mesh.cameraOn ? 'video' : 'videoOff'} /> {mesh.cameraOn ? 'Stop camera' : 'Start camera'}
            </button>
          )}
          {mesh.sendVideo && typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
            <button type="button" aria-pressed={mesh.screenSharing} onClick={toggleScreen}>
              <MeetIcon name="screen" /> {mesh.screenSharing ? 'Stop sharing' : 'Share screen'}
            </button>
          )}
          <button type="button" aria-pressed={panel === 'people'} onClick={() => setPanel((p) => (p === 'people' ? null : 'people'))}>
            <MeetIcon name="people" /> People ({meeting.participants.length}){meeting.lobby.length > 0 && isMod ? ` · ${meeting.lobby.length} waiting` : ''}
          </button>
          {me && meeting.messageId && (
            <button type="button" aria-pressed={panel === 'chat'} onClick={() => setPanel((p) => (p === 'chat' ? null : 'chat'))}>
              <MeetIcon name="chat" /> Chat
            </button>
          )}
          {isMod && meeting.recordingAllowed && (
            <button type="button" aria-pressed={recordingHere} onClick={() => void (recordingHere ? stopRecording() : startRecording())} disabled={meeting.recording && !recordingHere}>
              <MeetIcon name="record" /> {recordingHere ? 'Stop recording' : 'Record'}
            </button>
          )}
          <button type="button" className="danger" onClick={onLeave}>
            <MeetIcon name="leave" /> Leave
          </button>
          {isMod && (
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (window.confirm('End the meeting for everyone?')) void client.end().catch(report);
              }}
            >
              <MeetIcon name="phone" /> End for all
            </button>
          )}
        </div>
      </div>
      {panel === 'people' && <PeoplePanel client={client} meeting={meeting} selfId={selfId} speaking={mesh.speaking} onError={report} />}
      {panel === 'chat' && me && meeting.messageId && (
        <div className="meet-side">
          <ThreadPanel rid={meeting.rid} tmid={meeting.messageId} me={me} canModerate={false} onClose={() => setPanel(null)} onJumpToParent={() => navigate(roomPath(meeting.rid, { msgId: meeting.messageId }))} />
        </div>
      )}
    </div>
  );
}

function PeoplePanel({ client, meeting, selfId, speaking, onError }: { client: MeetingClient; meeting: MeetingView; selfId: string; speaking: ReadonlySet<string>; onError: (e: unknown) => void }) {
  const isMod = meeting.iAmModerator;
  const run = (p: Promise<unknown>) => void p.catch(onError);
  return (
    <aside className="meet-side" aria-label="Participants">
      <div className="meet-people">
        {isMod && (
          <div className="meet-toggles">
            <button type="button" className="button" aria-pressed={meeting.locked} onClick={() => run(client.lock(!meeting.locked))}>
              <MeetIcon name={meeting.locked ? 'lock' : 'unlock'} size={16} /> {meeting.locked ? 'Unlock meeting' : 'Lock meeting'}
            </button>
            <button type="button" className="button" aria-pressed={meeting.guestsAllowed} onClick={() => run(client.setGuestsAllowed(!meeting.guestsAllowed))}>
              <MeetIcon name="people" size={16} /> {meeting.guestsAllowed ? 'Guests may knock' : 'Allow guests'}
            </button>
          </div>
        )}
        {isMod && meeting.lobby.length > 0 && (
          <>
            <h2>Waiting in the lobby</h2>
            <ul aria-label="Lobby">
              {meeting.lobby.map((g) => (
                <li key={g.id} data-guest={g.id}>
                  <span className="name" title={g.email}>
                    {g.name} <span className="muted">(guest)</span>
                  </span>
                  <button type="button" className="button button-primary" onClick={() => run(client.admit(g.id))}>
                    Admit
                  </button>
                  <button type="button" className="button" onClick={() => run(client.deny(g.id))}>
                    Deny
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <h2>In the meeting ({meeting.participants.length})</h2>
        <ul aria-label="In the meeting">
          {meeting.participants.map((p) => (
            <li key={p.id} data-participant={p.id} className={speaking.has(p.id === selfId ? LOCAL_ID : p.id) ? 'is-speaking' : undefined}>
              <MeetIcon name={p.audio ? 'mic' : 'micOff'} size={14} label={p.audio ? 'Microphone on' : 'Muted'} />
              <span className="name">
                {p.name}
                {p.id === selfId ? ' (you)' : ''}
                {p.guest ? ' (guest)' : ''}
              </span>
              {p.moderator && <span className="badge">moderator</span>}
              {isMod && p.id !== selfId && (
                <>
                  {p.audio && (
                    <button type="button" className="button" onClick={() => run(client.mute(p.id))} aria-label={`Mute ${p.name}`}>
                      Mute
                    </button>
                  )}
                  <button type="button" className="button" onClick={() => run(client.remove(p.id))} aria-label={`Remove ${p.name}`}>
                    Remove
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}
