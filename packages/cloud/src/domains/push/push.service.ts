import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CloudErrorCodes, type PushBatchBody, type PushBatchResult, type PushTokenOutcome, type UsageCounters, type WorkspaceUsage } from '@obmeet/contracts';
import { dayOf, type Clock } from '../../clock.js';
import { Errors } from '../../errors.js';
import { consume } from '../../http/limits.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../http/metrics.js';
import type { PushStore } from './push.store.js';
import { REJECTED_CODES, TRANSIENT_CODES, type PushMessage, type PushTransport } from './push.transport.js';

export interface RetryPolicy {
  /** attempts per token, the first send included */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PushService {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    private readonly store: PushStore,
    private readonly transport: PushTransport | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly retry: RetryPolicy,
    limits: { perWorkspacePerMinute: number },
  ) {
    this.limiter = new RateLimiterMemory({ points: limits.perWorkspacePerMinute, duration: 60 });
  }

  /**
   * Sends one notification to a batch of device tokens through FCM. Transient failures are
   * retried with exponential backoff and jitter; tokens FCM refuses for good are reported so
   * the workspace deletes them. Only counts are kept (usage); the content is never stored.
   */
  async send(workspaceId: string, body: PushBatchBody): Promise<PushBatchResult> {
    if (!this.transport) throw Errors.of(CloudErrorCodes.pushUnavailable, 'The push gateway is not configured', 503);
    const tokens = [...new Set(body.tokens)];
    await consume(this.limiter, workspaceId, tokens.length);
    const message: PushMessage = {
      ...(body.notification ? { notification: body.notification } : {}),
      ...(body.data ? { data: body.data } : {}),
      ...(body.options ? { options: body.options } : {}),
    };

    const final = new Map<string, { ok: true } | { ok: false; code: string }>();
    let pending = tokens;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const outcomes = await this.sendOnce(pending, message);
      const again: string[] = [];
      pending.forEach((token, i) => {
        const o = outcomes[i] ?? { ok: false as const, code: 'messaging/unknown-error' };
        if (!o.ok && TRANSIENT_CODES.has(o.code) && attempt < this.retry.maxAttempts) again.push(token);
        else final.set(token, o);
      });
      if (again.length === 0) break;
      this.metrics.pushRetries.inc(again.length);
      const delay = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
      await sleep(Math.round(delay * (0.5 + Math.random() * 0.5)));
      pending = again;
    }

    const rejectedTokens: PushTokenOutcome[] = [];
    const failedTokens: PushTokenOutcome[] = [];
    let delivered = 0;
    for (const token of tokens) {
      const o = final.get(token)!;
      if (o.ok) delivered++;
      else if (REJECTED_CODES.has(o.code)) rejectedTokens.push({ token, code: o.code });
      else failedTokens.push({ token, code: o.code });
    }
    const counts: UsageCounters = { requests: 1, messages: tokens.length, delivered, rejected: rejectedTokens.length, failed: failedTokens.length };
    await this.store.addUsage(workspaceId, dayOf(this.clock.now()), counts);
    this.metrics.pushMessages.inc({ result: 'delivered' }, delivered);
    this.metrics.pushMessages.inc({ result: 'rejected' }, rejectedTokens.length);
    this.metrics.pushMessages.inc({ result: 'failed' }, failedTokens.length);
    // counts and codes only: never a token, title, body or data
    this.logger.info(
      { workspaceId, messages: tokens.length, delivered, rejected: rejectedTokens.length, failed: failedTokens.length, failureCodes: [...new Set(failedTokens.map((f) => f.code))] },
      'push batch',
    );
    return { successCount: delivered, failureCount: tokens.length - delivered, rejectedTokens, failedTokens };
  }

  /** One call to the transport; a failure of the whole call counts for every token. */
  private async sendOnce(tokens: string[], message: PushMessage) {
    try {
      return await this.transport!.send(tokens, message);
    } catch (err) {
      const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'app/network-error';
      this.logger.warn({ code }, 'push transport call failed');
      return tokens.map(() => ({ ok: false as const, code }));
    }
  }

  async usage(workspaceId: string, days: number): Promise<WorkspaceUsage> {
    const now = this.clock.now();
    const from = dayOf(new Date(now.getTime() - (days - 1) * 86_400_000));
    const docs = await this.store.usageSince(workspaceId, from);
    const totals: UsageCounters = { requests: 0, messages: 0, delivered: 0, rejected: 0, failed: 0 };
    const list = docs.map((d) => {
      const c: UsageCounters = { requests: d.requests ?? 0, messages: d.messages ?? 0, delivered: d.delivered ?? 0, rejected: d.rejected ?? 0, failed: d.failed ?? 0 };
      for (const k of Object.keys(totals) as Array<keyof UsageCounters>) totals[k] += c[k];
      return { day: d.day, ...c };
    });
    return { workspaceId, totals, days: list };
  }

  async forgetWorkspace(workspaceId: string): Promise<void> {
    await this.store.deleteUsageOf(workspaceId);
    await this.limiter.delete(workspaceId);
  }

  async close(): Promise<void> {
    await this.transport?.close();
  }
}
