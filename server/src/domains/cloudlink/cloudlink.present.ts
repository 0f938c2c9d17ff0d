import type { CloudRegistrationDto, OutboundLogEntryDto } from '@obmeet/contracts';
import type { CloudRegistrationDoc, OutboundLogDoc } from './cloudlink.model.js';

/** The admin's view of the registration: never the secret, sealed or not. */
export function presentRegistration(doc: CloudRegistrationDoc | null, cloudUrl: string): CloudRegistrationDto {
  if (!doc) return { state: 'unregistered', cloudUrl };
  return {
    state: doc.revokedAt ? 'revoked' : 'registered',
    cloudUrl: doc.cloudUrl,
    workspaceId: doc.workspaceId,
    registeredAt: doc.registeredAt.toISOString(),
    secretRotatedAt: doc.secretRotatedAt.toISOString(),
    ...(doc.lastCheck ? { lastCheck: { at: doc.lastCheck.at.toISOString(), result: doc.lastCheck.result, ...(doc.lastCheck.message ? { message: doc.lastCheck.message } : {}) } } : {}),
  };
}

export function presentLogEntry(d: OutboundLogDoc): OutboundLogEntryDto {
  const { at, ...rest } = d;
  return { ...rest, at: at.toISOString() };
}
