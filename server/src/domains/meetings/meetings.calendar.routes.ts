import { pipeline } from 'node:stream/promises';
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { Errors } from '../../errors.js';
import { requireAuth } from '../../http/auth.js';
import { actor, parse, route } from '../../http/handler.js';
import { contentDisposition } from '../files/index.js';
import { recordingUrl } from './meetings.recordings.js';

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
export const MeetingIcsQuery = z.object({ meetingId: Id });
export const MeetingsCsvQuery = z.object({ rid: Id.optional() });
export const RecordingStartBody = z.object({ meetingId: Id }).strict();
export const RecordingChunkQuery = z.object({ recordingId: Id, index: z.coerce.number().int().min(0).max(1_000_000) });
export const RecordingIdBody = z.object({ recordingId: Id }).strict();
export const RecordingDownloadQuery = z.object({ recordingId: Id });

function sendText(res: Response, type: string, body: string, fileName: string): void {
  res.status(200);
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Content-Disposition', contentDisposition('attachment', fileName));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(body);
}

/**
 * REST (under /api/v1): a meeting's .ics, the user's calendar feed address, the CSV export of
 * records, and recordings (start, chunk upload, finish, download).
 */
export function meetingsCalendarRoutes(r: Router, o: { siteUrl: string }): void {
  r.get('/meetings.ics', requireAuth, async (req, res, next) => {
    try {
      const { meetingId } = parse(MeetingIcsQuery, req.query);
      const { ics, fileName } = await req.workspace.meetingsCalendar.meetingIcs(actor(req), meetingId, o.siteUrl);
      sendText(res, 'text/calendar', ics, fileName);
    } catch (err) {
      next(err);
    }
  });

  r.get('/meetings.export.csv', requireAuth, async (req, res, next) => {
    try {
      const { rid } = parse(MeetingsCsvQuery, req.query);
      const { csv, fileName } = await req.workspace.meetingsCalendar.exportCsv(actor(req), rid);
      sendText(res, 'text/csv', csv, fileName);
    } catch (err) {
      next(err);
    }
  });

  r.get('/meetings.calendarFeed', requireAuth, route(async (req) => ({ url: await req.workspace.meetingsCalendar.feedUrl(actor(req), o.siteUrl) })));
  r.post('/meetings.calendarFeed.regenerate', requireAuth, route(async (req) => ({ url: await req.workspace.meetingsCalendar.regenerate(actor(req), o.siteUrl) })));

  r.post('/meetings.recording.start', requireAuth, route(async (req) => {
    const { meetingId } = parse(RecordingStartBody, req.body);
    const rec = await req.workspace.meetingsRecordings.start(actor(req), meetingId);
    return { recording: { _id: rec._id, meetingId: rec.meetingId, startedAt: rec.startedAt.toISOString() } };
  }));

  // the body is the raw chunk (not JSON), streamed into storage
  r.post('/meetings.recording.chunk', requireAuth, route(async (req) => {
    const { recordingId, index } = parse(RecordingChunkQuery, req.query);
    if (req.is('application/json') || req.is('application/x-www-form-urlencoded') || req.is('multipart/form-data')) {
      throw Errors.invalid('Send the chunk as the raw request body (e.g. Content-Type: video/webm)');
    }
    const out = await req.workspace.meetingsRecordings.chunk(actor(req), recordingId, index, req, req.header('content-type')).catch((err: unknown) => {
      req.resume(); // refused before (or while) reading: drain the rest so the connection stays usable
      throw err;
    });
    return { recordingId, index: out.index, size: out.size, duplicate: out.duplicate };
  }));

  r.post('/meetings.recording.finish', requireAuth, route(async (req) => {
    const { recordingId } = parse(RecordingIdBody, req.body);
    const rec = await req.workspace.meetingsRecordings.finish(actor(req), recordingId);
    return { recording: { _id: rec._id, meetingId: rec.meetingId, size: rec.size, chunks: rec.parts.length, url: recordingUrl(rec._id) } };
  }));

  r.get('/meetings.recording.download', requireAuth, async (req, res, next) => {
    try {
      const { recordingId } = parse(RecordingDownloadQuery, req.query);
      const file = await req.workspace.meetingsRecordings.download(actor(req), recordingId);
      res.status(200);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', file.disposition);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, no-store');
      await pipeline(file.stream, res).catch((err: unknown) => {
        req.log?.warn({ err, recordingId }, 'recording download interrupted');
        res.destroy();
      });
    } catch (err) {
      next(err);
    }
  });
}

/**
 * The public calendar feed, `GET /calendar/<token>.ics`: outside the login middleware (calendar
 * apps have no session); the unguessable token is the credential. Anything else is a 404.
 */
export function calendarFeedRoutes(o: { siteUrl: string }): Router {
  const r = express.Router();
  r.get('/:file', async (req, res, next) => {
    try {
      const file = String(req.params.file ?? '');
      const ics = file.endsWith('.ics') ? await req.workspace.meetingsCalendar.feedByToken(file.slice(0, -4), o.siteUrl) : null;
      if (!ics) throw Errors.notFound('Calendar');
      res.status(200);
      res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
      res.setHeader('Content-Disposition', 'inline; filename="meetings.ics"');
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.send(ics);
    } catch (err) {
      next(err);
    }
  });
  return r;
}
