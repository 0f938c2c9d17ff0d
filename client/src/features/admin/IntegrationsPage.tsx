import { useEffect, useState } from 'react';
import type { IntegrationDto } from '@obmeet/contracts';
import { errorMessage, integrationsApi, type IntegrationSecrets } from '../../api';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { UserPicker, type PickedUser } from '../../components/UserPicker';
import { formatFull, formatRelative } from '../../lib/time';
import { chatStore } from '../../state/chatStore';
import { useSession } from '../auth/session';
import { RoomPicker, type PickedRoom } from './IntegrationsRoomPicker';
import '../../styles/features-extra.css';

type Kind = IntegrationDto['type'];

function roomRef(id: string): PickedRoom {
  const room = chatStore.state.rooms[id];
  return { _id: id, name: room ? room.fname || room.name || id : id, t: room?.t ?? 'c' };
}

function copy(text: string) {
  void navigator.clipboard?.writeText(text).then(
    () => chatStore.toast({ text: 'Copied', kind: 'info' }),
    () => chatStore.toast({ text: 'Could not copy: select the text and copy it by hand.', kind: 'error' }),
  );
}

/** Incoming and outgoing webhooks (integrations.*): list, create, edit, regenerate the secret, remove. */
export function IntegrationsPage() {
  const [list, setList] = useState<IntegrationDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ kind: Kind; existing?: IntegrationDto } | null>(null);
  const [secrets, setSecrets] = useState<IntegrationSecrets | null>(null);
  const [removing, setRemoving] = useState<IntegrationDto | null>(null);

  const load = () => {
    integrationsApi
      .list(100, 0)
      .then((r) => {
        setList(r.integrations);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(load, []);

  const toggle = async (i: IntegrationDto) => {
    try {
      await integrationsApi.update({ integrationId: i._id, enabled: !i.enabled });
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async (i: IntegrationDto) => {
    setRemoving(null);
    try {
      await integrationsApi.remove(i._id);
      load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const incoming = (list ?? []).filter((i) => i.type === 'webhook-incoming');
  const outgoing = (list ?? []).filter((i) => i.type === 'webhook-outgoing');

  const table = (items: IntegrationDto[], kind: Kind) =>
    items.length === 0 ? (
      <p className="muted">{kind === 'webhook-incoming' ? 'No incoming webhooks yet.' : 'No outgoing webhooks yet.'}</p>
    ) : (
      <div className="table-scroll">
        <table className="table integrations-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">{kind === 'webhook-incoming' ? 'Posts to' : 'Watches'}</th>
              <th scope="col">Posts as</th>
              {kind === 'webhook-outgoing' && <th scope="col">Last delivery</th>}
              <th scope="col">Enabled</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i._id} data-integration-id={i._id} data-integration-name={i.name}>
                <td>
                  <strong>{i.name}</strong>
                  {kind === 'webhook-outgoing' && (
                    <>
                      <div className="muted small integration-url" title={i.url}>
                        {i.url}
                      </div>
                      <div className="muted small">{i.triggerWords && i.triggerWords.length > 0 ? `triggers: ${i.triggerWords.join(', ')}` : 'every message'}</div>
                    </>
                  )}
                </td>
                <td>{(kind === 'webhook-incoming' ? [i.roomId ?? ''] : (i.roomIds ?? [])).map((id) => roomRef(id).name).join(', ')}</td>
                <td>
                  @{i.username}
                  {i.alias && <span className="muted"> as “{i.alias}”</span>}
                </td>
                {kind === 'webhook-outgoing' && (
                  <td>
                    {i.lastDelivery ? (
                      <span title={formatFull(i.lastDelivery.at)} className={i.lastDelivery.ok ? 'delivery-ok' : 'delivery-failed'}>
                        {i.lastDelivery.ok ? 'Delivered' : `Failed${i.lastDelivery.status ? ` (${i.lastDelivery.status})` : ''}`} {formatRelative(i.lastDelivery.at)}
                        {i.lastDelivery.error && <span className="muted small"> · {i.lastDelivery.error}</span>}
                      </span>
                    ) : (
                      <span className="muted">Never</span>
                    )}
                  </td>
                )}
                <td>
                  <input type="checkbox" checked={i.enabled} aria-label={`${i.name} enabled`} onChange={() => void toggle(i)} />
                </td>
                <td className="cell-actions">
                  <button type="button" className="button button-small" onClick={() => setEditing({ kind, existing: i })}>
                    Edit
                  </button>{' '}
                  <button type="button" className="button button-small button-danger-outline" onClick={() => setRemoving(i)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <div className="integrations-page">
      <div className="row-between">
        <h2>Integrations</h2>
        <button type="button" className="button button-small" onClick={load}>
          <Icon name="refresh" size={14} /> Refresh
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <section className="integrations-section" aria-label="Incoming webhooks">
        <div className="row-between">
          <div>
            <h3>Incoming webhooks</h3>
            <p className="muted small">Other tools post messages into a room through a secret URL (Slack-compatible JSON).</p>
          </div>
          <button type="button" className="button button-primary button-small" onClick={() => setEditing({ kind: 'webhook-incoming' })}>
            <Icon name="plus" size={14} /> New incoming webhook
          </button>
        </div>
        {list === null ? <p className="muted">Loading…</p> : table(incoming, 'webhook-incoming')}
      </section>
      <section className="integrations-section" aria-label="Outgoing webhooks">
        <div className="row-between">
          <div>
            <h3>Outgoing webhooks</h3>
            <p className="muted small">New messages in the chosen rooms (optionally only those starting with a trigger word) are POSTed to a URL; its answer is posted back.</p>
          </div>
          <button type="button" className="button button-primary button-small" onClick={() => setEditing({ kind: 'webhook-outgoing' })}>
            <Icon name="plus" size={14} /> New outgoing webhook
          </button>
        </div>
        {list === null ? <p className="muted">Loading…</p> : table(outgoing, 'webhook-outgoing')}
      </section>

      {editing && (
        <IntegrationForm
          kind={editing.kind}
          existing={editing.existing}
          onClose={() => setEditing(null)}
          onSaved={(result) => {
            setEditing(null);
            load();
            if (result.url || result.secret) setSecrets(result);
          }}
        />
      )}
      {secrets && <SecretsDialog secrets={secrets} onClose={() => setSecrets(null)} />}
      {removing && (
        <Dialog
          title="Delete webhook?"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setRemoving(null)}>
                Cancel
              </button>
              <button type="button" className="button button-danger" onClick={() => void remove(removing)}>
                Delete
              </button>
            </>
          }
        >
          <p>
            Delete <strong>{removing.name}</strong>? {removing.type === 'webhook-incoming' ? 'Its URL stops working at once.' : 'Nothing more will be sent to its URL.'}
          </p>
        </Dialog>
      )}
    </div>
  );
}

/** The secrets of a webhook, shown once: the server keeps only a hash of the incoming token. */
function SecretsDialog({ secrets, onClose }: { secrets: IntegrationSecrets; onClose: () => void }) {
  const example = secrets.url ? `curl -X POST -H 'Content-Type: application/json' -d '{"text":"Hello from a webhook"}' ${secrets.url}` : '';
  return (
    <Dialog
      title={secrets.url ? 'Webhook URL' : 'Webhook secret'}
      onClose={onClose}
      wide
      footer={
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <p>
        Copy {secrets.url ? 'the URL' : 'the secret'} of <strong>{secrets.integration.name}</strong> now. It will not be shown again; you can regenerate it
        later from Edit, which stops the old one.
      </p>
      {secrets.url && (
        <>
          <div className="token-display">
            <code data-testid="webhook-url">{secrets.url}</code>
            <button type="button" className="button button-small" onClick={() => copy(secrets.url!)}>
              Copy
            </button>
          </div>
          <p className="muted small">Try it:</p>
          <pre className="code-sample">{example}</pre>
        </>
      )}
      {secrets.secret && (
        <>
          <div className="field">
            <span className="info-label">Signing secret (HMAC-SHA256 of the body in X-OBMeet-Signature)</span>
            <div className="token-display">
              <code data-testid="webhook-secret">{secrets.secret}</code>
              <button type="button" className="button button-small" onClick={() => copy(secrets.secret!)}>
                Copy
              </button>
            </div>
          </div>
          {secrets.integration.token && (
            <p className="muted small">
              Every payload also carries the token <code>{secrets.integration.token}</code>.
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}

function IntegrationForm({
  kind,
  existing,
  onClose,
  onSaved,
}: {
  kind: Kind;
  existing?: IntegrationDto;
  onClose: () => void;
  onSaved: (result: IntegrationSecrets) => void;
}) {
  const session = useSession();
  const me = session.status === 'authenticated' ? session.me : null;
  const [name, setName] = useState(existing?.name ?? '');
  const [rooms, setRooms] = useState<PickedRoom[]>(() =>
    existing ? (kind === 'webhook-incoming' ? (existing.roomId ? [roomRef(existing.roomId)] : []) : (existing.roomIds ?? []).map(roomRef)) : [],
  );
  const [user, setUser] = useState<PickedUser[]>(() =>
    existing ? [{ _id: existing.userId, username: existing.username, name: existing.username }] : me ? [{ _id: me._id, username: me.username, name: me.name }] : [],
  );
  const [alias, setAlias] = useState(existing?.alias ?? '');
  const [avatar, setAvatar] = useState(existing?.avatar ?? '');
  const [url, setUrl] = useState(existing?.url ?? '');
  const [triggers, setTriggers] = useState((existing?.triggerWords ?? []).join(' '));
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRegenerate, setConfirmRegenerate] = useState(false);
  const incoming = kind === 'webhook-incoming';

  const save = async (regenerateToken = false) => {
    setError(null);
    if (!name.trim()) return setError('Give the webhook a name.');
    if (rooms.length === 0) return setError(incoming ? 'Choose the room it posts to.' : 'Choose at least one room.');
    if (user.length === 0) return setError('Choose the user it posts as.');
    if (!incoming && !url.trim()) return setError('Give the URL to send messages to.');
    const triggerWords = triggers.split(/[\s,]+/).filter(Boolean);
    setBusy(true);
    try {
      let result: IntegrationSecrets;
      if (existing) {
        result = await integrationsApi.update({
          integrationId: existing._id,
          name: name.trim(),
          ...(incoming ? { roomId: rooms[0]._id } : { roomIds: rooms.map((r) => r._id), triggerWords, url: url.trim() }),
          username: user[0].username,
          alias: alias.trim() || null,
          avatar: avatar.trim() || null,
          enabled,
          ...(regenerateToken ? { regenerateToken: true } : {}),
        });
      } else if (incoming) {
        result = await integrationsApi.create({
          type: 'webhook-incoming',
          name: name.trim(),
          roomId: rooms[0]._id,
          username: user[0].username,
          ...(alias.trim() ? { alias: alias.trim() } : {}),
          ...(avatar.trim() ? { avatar: avatar.trim() } : {}),
          enabled,
        });
      } else {
        result = await integrationsApi.create({
          type: 'webhook-outgoing',
          name: name.trim(),
          roomIds: rooms.map((r) => r._id),
          triggerWords,
          url: url.trim(),
          username: user[0].username,
          ...(alias.trim() ? { alias: alias.trim() } : {}),
          ...(avatar.trim() ? { avatar: avatar.trim() } : {}),
          enabled,
        });
      }
      onSaved(result);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const title = `${existing ? 'Edit' : 'New'} ${incoming ? 'incoming' : 'outgoing'} webhook`;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide
      footer={
        <>
          {existing && (
            <button type="button" className="button button-danger-outline" disabled={busy} onClick={() => setConfirmRegenerate(true)}>
              {incoming ? 'Regenerate URL' : 'Regenerate secret'}
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="integration-form" className="button button-primary" disabled={busy}>
            {existing ? 'Save' : 'Create'}
          </button>
        </>
      }
    >
      <form
        id="integration-form"
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor="integration-name">Name</label>
          <input id="integration-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} data-autofocus />
        </div>
        <RoomPicker label={incoming ? 'Posts to room' : 'Rooms to watch'} selected={rooms} onChange={setRooms} single={incoming} />
        {!incoming && (
          <>
            <div className="field">
              <label htmlFor="integration-url">URL to POST messages to</label>
              <input id="integration-url" type="url" placeholder="https://example.com/obmeet-hook" maxLength={2000} value={url} onChange={(e) => setUrl(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="integration-triggers">Trigger words</label>
              <input id="integration-triggers" placeholder="e.g. !deploy !status" value={triggers} onChange={(e) => setTriggers(e.target.value)} />
              <p className="field-hint">Separated by spaces or commas. Empty: every message in the rooms is sent.</p>
            </div>
          </>
        )}
        <UserPicker label={incoming ? 'Post as user (must be a member of the room)' : 'Post replies as user'} selected={user} onChange={(u) => setUser(u.slice(-1))} single />
        <div className="field">
          <label htmlFor="integration-alias">Display name (optional)</label>
          <input id="integration-alias" maxLength={80} value={alias} onChange={(e) => setAlias(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="integration-avatar">Avatar URL (optional)</label>
          <input id="integration-avatar" type="url" maxLength={2000} value={avatar} onChange={(e) => setAvatar(e.target.value)} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
      {confirmRegenerate && (
        <Dialog
          title={incoming ? 'Regenerate the URL?' : 'Regenerate the secret?'}
          onClose={() => setConfirmRegenerate(false)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirmRegenerate(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() => {
                  setConfirmRegenerate(false);
                  void save(true);
                }}
              >
                Regenerate
              </button>
            </>
          }
        >
          <p>{incoming ? 'The current URL stops working at once; whatever posts to it must be given the new one.' : 'The current secret and token stop working at once.'}</p>
        </Dialog>
      )}
    </Dialog>
  );
}
