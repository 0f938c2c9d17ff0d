import type { Collection, Db } from 'mongodb';
import { REGISTRATION_TOKENS, WORKSPACES, type RegistrationTokenDoc, type WorkspaceDoc } from './registry.model.js';

export class RegistryStore {
  readonly tokens: Collection<RegistrationTokenDoc>;
  readonly workspaces: Collection<WorkspaceDoc>;

  constructor(db: Db) {
    this.tokens = db.collection<RegistrationTokenDoc>(REGISTRATION_TOKENS);
    this.workspaces = db.collection<WorkspaceDoc>(WORKSPACES);
  }

  insertToken(doc: RegistrationTokenDoc) {
    return this.tokens.insertOne(doc);
  }
  tokenByHash(hash: string) {
    return this.tokens.findOne({ _id: hash });
  }
  /** Marks an unused, unexpired token used; null when it is unknown, used or expired. */
  useToken(hash: string, now: Date, workspaceId: string) {
    return this.tokens.findOneAndUpdate(
      { _id: hash, usedAt: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { usedAt: now, workspaceId } },
      { returnDocument: 'after' },
    );
  }
  deleteExpiredTokens(now: Date) {
    return this.tokens.deleteMany({ expiresAt: { $lte: now } });
  }

  insertWorkspace(doc: WorkspaceDoc) {
    return this.workspaces.insertOne(doc);
  }
  workspaceById(id: string) {
    return this.workspaces.findOne({ _id: id });
  }
  workspacesOfAccount(accountId: string) {
    return this.workspaces.find({ accountId }).sort({ registeredAt: 1, _id: 1 }).toArray();
  }
  /** Rotates the secret only if the old one is still current (a concurrent refresh loses). */
  rotateSecret(id: string, oldHash: string, newHash: string, now: Date) {
    return this.workspaces.findOneAndUpdate(
      { _id: id, status: 'active', secretHash: oldHash },
      { $set: { secretHash: newHash, secretRotatedAt: now } },
      { returnDocument: 'after' },
    );
  }
  revokeWorkspace(id: string, now: Date) {
    return this.workspaces.updateOne({ _id: id }, { $set: { status: 'revoked', revokedAt: now }, $unset: { secretHash: '' } });
  }
  deleteWorkspace(id: string) {
    return this.workspaces.deleteOne({ _id: id });
  }
}
