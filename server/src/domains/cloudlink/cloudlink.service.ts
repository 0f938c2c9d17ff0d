import {
  ErrorCodes,
  WorkspaceCredentials,
  type CloudRegistrationDto,
  type OutboundLogQuery,
  type OutboundLogResult,
} from '@obmeet/contracts';
import type { Filter } from 'mongodb';
import type { Clock } from '../../clock.js';
import { AppError, Errors } from '../../errors.js';
import type { CloudRegistrationDoc, OutboundLogDoc } from './cloudlink.model.js';
import { presentLogEntry, presentRegistration } from './cloudlink.present.js';
import type { CloudLinkStore } from './cloudlink.store.js';
import type { EgressClient } from './egress.js';
import type { SecretBox } from './secrets.js';

const context = (workspaceId: string) => `obmeet-cloud-client-secret:${workspaceId}`;

/** Registration with the vendor cloud (credentials sealed at rest) and the outbound data log. */
export class CloudLinkService {
  private egress!: EgressClient;

  constructor(
    private readonly store: CloudLinkStore,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly cloudUrl: string,
  ) {}

  /** Wired by the composition root (the egress client reads credentials from this service). */
  attachEgress(egress: EgressClient): void {
    this.egress = egress;
  }

  /** Run after the local registration is deleted (the workspace switches statistics sharing off). */
  readonly unregisteredHooks: Array<() => Promise<void>> = [];

  /** The usable credentials, or null while unregistered or after the cloud revoked them. */
  async credentials(): Promise<WorkspaceCredentials | null> {
    const doc = await this.store.getRegistration();
    if (!doc || doc.revokedAt) return null;
    return { workspaceId: doc.workspaceId, clientSecret: this.box.open(doc.sealedSecret, context(doc.workspaceId)) };
  }

  async isRegistered(): Promise<boolean> {
    const doc = await this.store.getRegistration();
    return !!doc && !doc.revokedAt;
  }

  async status(verify: boolean): Promise<CloudRegistrationDto> {
    let doc = await this.store.getRegistration();
    if (doc && verify) {
      await this.verify(doc);
      doc = await this.store.getRegistration();
    }
    return presentRegistration(doc, this.cloudUrl);
  }

  /** Asks the cloud whether the credentials still work (GET /registry/self). */
  private async verify(doc: CloudRegistrationDoc): Promise<void> {
    let result: NonNullable<CloudRegistrationDoc['lastCheck']>['result'] = 'active';
    let message: string | undefined;
    try {
      if (doc.revokedAt) {
        // a revoked registration has no usable credentials: the egress client would refuse
        result = 'revoked';
      } else {
        await this.egress.request({ purpose: 'registration', method: 'GET', path: '/api/v1/registry/self' });
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const d = err.details as { status?: number } | undefined;
      result = err.errorType === ErrorCodes.cloudUnreachable ? 'unreachable' : d?.status === 401 ? 'revoked' : 'error';
      message = err.message;
    }
    await this.store.updateRegistration({ lastCheck: { at: this.clock.now(), result, ...(message ? { message } : {}) } });
  }

  /** The cloud answered 401 to the stored credentials: keep them for the admin page, mark them revoked. */
  async markRevoked(): Promise<void> {
    if (await this.store.getRegistration()) await this.store.updateRegistration({ revokedAt: this.clock.now() });
  }

  async register(token: string): Promise<CloudRegistrationDto> {
    const existing = await this.store.getRegistration();
    if (existing && !existing.revokedAt) {
      throw Errors.conflict(ErrorCodes.workspaceAlreadyRegistered, `Already registered as workspace ${existing.workspaceId}; unregister first`);
    }
    const answer = await this.egress.request<Record<string, unknown>>({
      purpose: 'registration', method: 'POST', path: '/api/v1/registry/redeem', body: { token }, auth: 'none',
    });
    const creds = this.parseCredentials(answer);
    const now = this.clock.now();
    await this.store.saveRegistration({
      _id: 'registration',
      workspaceId: creds.workspaceId,
      sealedSecret: this.box.seal(creds.clientSecret, context(creds.workspaceId)),
      cloudUrl: this.cloudUrl,
      registeredAt: now,
      secretRotatedAt: now,
    });
    return this.status(false);
  }

  /** A new client secret from the cloud; the old one stops working at once. */
  async refresh(): Promise<CloudRegistrationDto> {
    const doc = await this.store.getRegistration();
    if (!doc || doc.revokedAt) throw new AppError(ErrorCodes.workspaceNotRegistered, 'The workspace is not registered', 409);
    const answer = await this.egress.request<Record<string, unknown>>({ purpose: 'registration', method: 'POST', path: '/api/v1/registry/refresh' });
    const creds = this.parseCredentials(answer);
    if (creds.workspaceId !== doc.workspaceId) throw new AppError(ErrorCodes.cloudRejected, 'The cloud answered for another workspace', 502);
    await this.store.updateRegistration({ sealedSecret: this.box.seal(creds.clientSecret, context(creds.workspaceId)), secretRotatedAt: this.clock.now() });
    return this.status(false);
  }

  /**
   * Unregister: DELETE /registry at the cloud, then the local credentials. A cloud that already
   * refuses the credentials (revoked/deleted) counts as done. If the cloud cannot be reached the
   * local credentials stay and the error says so; `forgetLocally` deletes them without calling.
   */
  async unregister(forgetLocally: boolean): Promise<CloudRegistrationDto> {
    const doc = await this.store.getRegistration();
    if (!doc) throw new AppError(ErrorCodes.workspaceNotRegistered, 'The workspace is not registered', 409);
    if (!forgetLocally && !doc.revokedAt) {
      try {
        await this.egress.request({ purpose: 'registration', method: 'DELETE', path: '/api/v1/registry' });
      } catch (err) {
        const gone = err instanceof AppError && (err.details as { status?: number } | undefined)?.status === 401;
        if (!gone) {
          if (err instanceof AppError && err.errorType === ErrorCodes.cloudUnreachable) {
            throw new AppError(
              ErrorCodes.cloudUnreachable,
              `${err.message}. The registration is kept; send forgetLocally: true to delete the local credentials anyway (the cloud keeps its record until it is removed in the vendor console).`,
              502,
            );
          }
          throw err;
        }
      }
    }
    await this.store.deleteRegistration();
    for (const hook of this.unregisteredHooks) await hook();
    return this.status(false);
  }

  async outboundLog(q: OutboundLogQuery): Promise<OutboundLogResult> {
    const filter: Filter<OutboundLogDoc> = {};
    if (q.purpose) filter.purpose = q.purpose;
    if (q.status) filter.outcome = q.status;
    if (q.from || q.to) {
      const at: { $gte?: Date; $lt?: Date } = {};
      if (q.from) at.$gte = new Date(q.from);
      if (q.to) at.$lt = new Date(q.to);
      filter.at = at;
    }
    const { entries, total } = await this.store.listLog(filter, q.offset, q.count);
    return { entries: entries.map(presentLogEntry), count: entries.length, offset: q.offset, total };
  }

  private parseCredentials(answer: Record<string, unknown>): WorkspaceCredentials {
    const r = WorkspaceCredentials.safeParse({ workspaceId: answer.workspaceId, clientSecret: answer.clientSecret });
    if (!r.success) throw new AppError(ErrorCodes.cloudRejected, 'The cloud answered without valid credentials', 502);
    return r.data;
  }
}
