import type { MessageDto } from '@obmeet/contracts';
import type { MessageDoc } from './messages.model.js';

export function presentMessage(m: MessageDoc): MessageDto {
  return {
    _id: m._id,
    rid: m.rid,
    seq: m.seq,
    msg: m.msg,
    ...(m.t ? { t: m.t } : {}),
    u: m.u,
    ts: m.ts.toISOString(),
    _updatedAt: m.updatedAt.toISOString(),
    change: m.change,
    ...(m.editedAt ? { editedAt: m.editedAt.toISOString(), editedBy: m.editedBy } : {}),
    ...(m.tmid ? { tmid: m.tmid, tshow: Boolean(m.tshow) } : {}),
    ...(m.tcount ? { tcount: m.tcount, tlm: m.tlm?.toISOString(), replies: m.replies ?? [] } : {}),
    ...(m.reactions && Object.keys(m.reactions).length ? { reactions: m.reactions } : {}),
    ...(m.mentions?.length ? { mentions: m.mentions } : {}),
    ...(m.pinned ? { pinned: true } : {}),
    ...(m.starredBy?.length ? { starred: m.starredBy.map((_id) => ({ _id })) } : {}),
    ...(m.deleted ? { deleted: true } : {}),
    ...(m.alias ? { alias: m.alias } : {}),
    ...(m.avatar ? { avatar: m.avatar } : {}),
    ...(m.attachments?.length && !m.deleted ? { attachments: m.attachments } : {}),
    ...(m.action ? { action: true } : {}),
    ...(m.bot ? { bot: m.bot } : {}),
    ...(m.file && !m.deleted ? { file: m.file } : {}),
    ...(m.location && !m.deleted ? { location: m.location } : {}),
    ...(m.meeting && !m.deleted ? { meeting: m.meeting } : {}),
  };
}

/** Shown in the room's stream (thread replies appear there only when also sent to the room). */
export function isMainStream(m: MessageDoc): boolean {
  return !m.deleted && (!m.tmid || Boolean(m.tshow));
}
