import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { Strategy as LocalStrategy } from 'passport-local';
import { Errors } from '../errors.js';
import { actorOf, type UserDoc } from '../domains/accounts/index.js';
import type { AuthContext } from './handler.js';

export const SESSION_COOKIE = 'obm_session';

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Passport strategies: local (username or email + password) and token (header, PAT or cookie). */
export function configurePassport(): passport.PassportStatic {
  const p = new passport.Passport() as unknown as passport.PassportStatic;
  p.use(
    'local',
    new LocalStrategy({ usernameField: 'user', passwordField: 'password', passReqToCallback: true, session: false }, (req, login, password, done) => {
      req.workspace.accounts.verifyCredentials(login, password, req.ip ?? 'unknown').then(
        (user) => done(null, user),
        (err) => done(err),
      );
    }),
  );
  p.use(
    'token',
    new CustomStrategy((req, done) => {
      const headerToken = req.header('x-auth-token');
      const headerUser = req.header('x-user-id');
      const cookieToken = readCookie(req.headers.cookie, SESSION_COOKIE);
      const token = headerToken ?? cookieToken;
      if (!token) return done(null, false);
      req.workspace.accounts.authenticateToken(token, headerToken ? headerUser : undefined).then(
        (r) => {
          if (!r) return done(null, false);
          const ctx: AuthContext = { user: r.user, session: r.session, actor: actorOf(r.user, r.session._id), via: headerToken ? 'header' : 'cookie' };
          done(null, ctx as unknown as Express.User);
        },
        (err) => done(err),
      );
    }),
  );
  return p;
}

/** Sets req.auth when a valid token is present; never rejects by itself. */
export function authenticate(p: passport.PassportStatic, siteOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    p.authenticate('token', { session: false }, (err: unknown, ctx: AuthContext | false) => {
      if (err) return next(err);
      if (ctx) {
        // a cookie session only works from our own pages: cross-site writes are refused
        if (ctx.via === 'cookie' && req.method !== 'GET' && req.method !== 'HEAD') {
          const origin = req.header('origin');
          if (origin && origin !== siteOrigin) return next(Errors.forbidden('Cross-origin request refused'));
        }
        req.auth = ctx;
      }
      next();
    })(req, res, next);
  };
}

export function requireAuth(req: Request, _res: Response, next: NextFunction): void {
  next(req.auth ? undefined : Errors.unauthorized());
}

/** Runs the local strategy and resolves with the user (errors are AppErrors from the service). */
export function verifyLocal(p: passport.PassportStatic, req: Request, res: Response): Promise<UserDoc> {
  return new Promise((resolve, reject) => {
    p.authenticate('local', { session: false }, (err: unknown, user: UserDoc | false) => {
      if (err) return reject(err);
      if (!user) return reject(Errors.unauthorized('Incorrect username or password'));
      resolve(user);
    })(req, res, () => undefined);
  });
}
