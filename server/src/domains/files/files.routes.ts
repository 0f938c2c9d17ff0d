import { pipeline } from 'node:stream/promises';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { FileDownloadParams, RoomFilesQuery, UploadRoomParam, UserFilesQuery } from '@obmeet/contracts';
import { z } from 'zod';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { multipartSource } from '../../http/multipart.js';

/** REST: upload into a room, room and user file lists (under /api/v1). */
export function filesRoutes(r: Router): void {
  r.post('/rooms.upload/:rid', requireAuth, route(async (req) => {
    const { rid } = parse(UploadRoomParam, req.params);
    return await req.workspace.files.upload(actor(req), rid, multipartSource(req));
  }));

  const roomFiles = (kinds: ('c' | 'p' | 'd')[] | null) => route(async (req: Request) => {
    const q = parse(RoomFilesQuery, req.query);
    const { room, files, total } = await req.workspace.files.roomFiles(actor(req), q.roomId, q.offset, q.count);
    if (kinds && !kinds.includes(room.t)) throw Errors.notFound('Room');
    return { files, count: files.length, offset: q.offset, total };
  });
  r.get('/rooms.files', requireAuth, roomFiles(null));
  r.get('/channels.files', requireAuth, roomFiles(['c']));
  r.get('/groups.files', requireAuth, roomFiles(['p']));
  r.get('/im.files', requireAuth, roomFiles(['d']));

  r.get('/users.files', requireAuth, route(async (req) => {
    const q = parse(UserFilesQuery, req.query);
    const { files, total } = await req.workspace.files.userFiles(actor(req), q.offset, q.count);
    return { files, count: files.length, offset: q.offset, total };
  }));
}

const ThumbQuery = z.object({ thumb: z.enum(['1', 'true', '0', 'false']).optional() });

/**
 * Downloads: `GET /file-upload/:fileId/:name` (`?thumb=1` for the thumbnail). Authenticated by the
 * session cookie (so <img> works) or the auth headers; a file of a room the caller may not read is
 * a 404. Only png/jpeg/gif/webp are shown inline; everything else is an attachment, markup types
 * are sent as application/octet-stream, always with nosniff and a sandboxing CSP.
 */
export function fileDownloadRoutes(authenticate: RequestHandler): Router {
  const r = express.Router();
  r.use(authenticate);
  const handler: RequestHandler = async (req, res, next) => {
    try {
      if (!req.auth) throw Errors.unauthorized();
      const { fileId } = parse(FileDownloadParams, req.params);
      const { thumb } = parse(ThumbQuery, req.query);
      const file = await req.workspace.files.download(actor(req), fileId, thumb === '1' || thumb === 'true');
      res.status(200);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', file.disposition);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, max-age=86400');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      if (req.method === 'HEAD') {
        file.stream.destroy();
        res.end();
        return;
      }
      await pipeline(file.stream, res).catch((err: unknown) => {
        req.log?.warn({ err, fileId }, 'file download interrupted');
        res.destroy();
      });
    } catch (err) {
      next(err);
    }
  };
  r.get('/:fileId/:name', handler);
  r.get('/:fileId', handler);
  return r;
}
