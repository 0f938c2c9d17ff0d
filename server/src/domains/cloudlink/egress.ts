import { createHash } from 'node:crypto';
import { CloudErrorCodes, ErrorCodes, type WorkspaceCredentials } from '@obmeet/contracts';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../logger.js';
import type { OutboundLogDoc } from './cloudlink.model.js';
import type { CloudLinkStore } from './cloudlink.store.js';

export type EgressPurpose = 'registration' | 'push' | 'statistics' | 'marketplace';

export interface EgressRequest {
  purpose: EgressPurpose;
  method: 'GET' | 'POST' | 'DELETE';
  /** path on the cloud, starting with `/api/v1/` (the host is always config CLOUD_URL) */
  path: string;
  /** JSON body */
  body?: unknown;
  /** `workspace` (default): HTTP Basic workspaceId:clientSecret; `none`: anonymous */
  auth?: 'workspace' | 'none';
}

export interface EgressOptions {
  cloudUrl: string;
  timeoutMs: number;
  clock: Clock;
  store: CloudLinkStore;
  /** the stored credentials, or null while unregistered */
  credentials(): Promise<WorkspaceCredentials | null>;
  /** whether the admin switched statistics sharing on (the one call allowed while unregistered besides redeeming) */
  statisticsSharingOn(): Promise<boolean>;
  /** the cloud answered 401 to our credentials: they were revoked or deleted on its side */
  onCredentialsRejected?(): Promise<void>;
  logger?: Logger;
  /** answers above this are cut off and count as an error (default 1 MiB) */
  maxResponseBytes?: number;
  /** request bodies above this are logged as a summary (default 16 KiB) */
  summaryAboveBytes?: number;
}

const REDEEM_PATH = '/api/v1/registry/redeem';
const STATISTICS_PATH = '/api/v1/statistics';
const PATH_RE = /^\/api\/v1\/[A-Za-z0-9/_.~-]*(\?[A-Za-z0-9_.~=&%-]*)?$/;
const SUMMARY_HEAD_CHARS = 512;

/**
 * The only code that talks to the vendor cloud (architecture notes: "the egress rule"). Every call
 * is written to the outbound data log *before* it is sent, with the exact JSON text that goes on
 * the wire, and completed with the outcome afterwards. While the workspace is unregistered every
 * call is refused (and logged as `refused`, nothing sent) except redeeming a registration token
 * and anonymous statistics the admin opted into.
 */
export class EgressClient {
  private readonly maxResponseBytes: number;
  private readonly summaryAboveBytes: number;

  constructor(private readonly o: EgressOptions) {
    this.maxResponseBytes = o.maxResponseBytes ?? 1024 * 1024;
    this.summaryAboveBytes = o.summaryAboveBytes ?? 16 * 1024;
  }

  get cloudUrl(): string {
    return this.o.cloudUrl;
  }

  /** Whether a call would be allowed now (callers such as the push queue skip work early). */
  async isRegistered(): Promise<boolean> {
    return (await this.o.credentials()) !== null;
  }

  async request<T = unknown>(req: EgressRequest): Promise<T> {
    if (!PATH_RE.test(req.path)) throw new Error(`egress: invalid cloud path ${req.path}`);
    const auth = req.auth ?? 'workspace';
    const endpoint = this.o.cloudUrl + req.path;
    const json = req.body === undefined ? undefined : JSON.stringify(req.body);
    const bytes = json === undefined ? 0 : Buffer.byteLength(json);
    const entry: OutboundLogDoc = {
      _id: newId(),
      at: this.o.clock.now(),
      method: req.method,
      endpoint,
      purpose: req.purpose,
      auth,
      bytes,
      outcome: 'pending',
      ...this.describePayload(json, bytes),
    };

    const creds = await this.o.credentials();
    let refusal: string | undefined;
    if (auth === 'workspace' && !creds) refusal = 'The workspace is not registered with the cloud';
    else if (!creds && !(await this.allowedUnregistered(req, auth)))
      refusal = 'The workspace is not registered: only redeeming a registration token and opted-in anonymous statistics may be sent';
    if (refusal) {
      // logged so the admin sees what was attempted; nothing is sent
      await this.o.store.appendLog({ ...entry, bytes: 0, outcome: 'refused', errorType: ErrorCodes.workspaceNotRegistered, error: refusal });
      throw new AppError(ErrorCodes.workspaceNotRegistered, refusal, 409);
    }

    await this.o.store.appendLog(entry);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    if (auth === 'workspace' && creds) {
      headers.authorization = `Basic ${Buffer.from(`${creds.workspaceId}:${creds.clientSecret}`).toString('base64')}`;
    }
    const started = performance.now();
    const duration = () => Math.round(performance.now() - started);
    let status: number;
    let body: Record<string, unknown> | undefined;
    try {
      const res = await fetch(endpoint, {
        method: req.method,
        headers,
        body: json,
        redirect: 'error', // the cloud never redirects; following one could leave CLOUD_URL
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      status = res.status;
      body = await this.readJson(res);
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      await this.o.store.finishLog(entry._id, { outcome: 'error', errorType: ErrorCodes.cloudUnreachable, error: message.slice(0, 500), durationMs: duration() });
      this.o.logger?.warn({ endpoint, purpose: req.purpose, err: message }, 'cloud unreachable');
      throw new AppError(ErrorCodes.cloudUnreachable, `The cloud at ${this.o.cloudUrl} could not be reached (${message})`, 502);
    }

    if (status >= 200 && status < 300 && body) {
      await this.o.store.finishLog(entry._id, { outcome: 'ok', status, durationMs: duration() });
      return body as T;
    }
    const errorType = typeof body?.errorType === 'string' ? body.errorType.slice(0, 100) : undefined;
    const error = typeof body?.error === 'string' ? body.error.slice(0, 500) : body ? `HTTP ${status}` : `HTTP ${status}: not a JSON answer`;
    await this.o.store.finishLog(entry._id, { outcome: 'error', status, errorType, error, durationMs: duration() });
    if (status === 401 && auth === 'workspace' && errorType === CloudErrorCodes.invalidWorkspaceCredentials) {
      await this.o.onCredentialsRejected?.();
    }
    throw new AppError(ErrorCodes.cloudRejected, `The cloud refused the request: ${error}`, 502, { status, errorType, error });
  }

  private async allowedUnregistered(req: EgressRequest, auth: 'workspace' | 'none'): Promise<boolean> {
    if (auth !== 'none' || req.method !== 'POST') return false;
    if (req.purpose === 'registration' && req.path === REDEEM_PATH) return true;
    if (req.purpose === 'statistics' && req.path === STATISTICS_PATH) return await this.o.statisticsSharingOn();
    return false;
  }

  private describePayload(json: string | undefined, bytes: number): Pick<OutboundLogDoc, 'payload' | 'payloadSummary'> {
    if (json === undefined) return {};
    if (bytes <= this.summaryAboveBytes) return { payload: json };
    return { payloadSummary: { head: json.slice(0, SUMMARY_HEAD_CHARS), sha256: createHash('sha256').update(json).digest('hex'), bytes } };
  }

  /** The answer as a JSON object, reading at most maxResponseBytes. */
  private async readJson(res: Response): Promise<Record<string, unknown> | undefined> {
    if (!res.body) return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.maxResponseBytes) {
        await reader.cancel();
        throw new Error(`answer larger than ${this.maxResponseBytes} bytes`);
      }
      chunks.push(value);
    }
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
