// The browser keeps Lanyard's session cookie (__Host-lanyard_session: Secure, HttpOnly,
// SameSite=Strict) when the tests serve over plain http://127.0.0.1, and sends it back: the
// premise of every journey that signs in. An organisation user signs in through the JSON API
// from inside the page, enrolling an authenticator app (TOTP) on the way.

import { check, checkNoExternalRequests, newContext, newPage, signInThroughApi } from './lib.mjs';

export default async function session(t) {
  const context = await newContext(t.browser, t.origin);
  try {
    const page = await newPage(context);
    await page.goto(`${t.base}/`);
    const user = t.users['RGT.hr_issuer'];
    const { me, secret } = await signInThroughApi(page, user.email, t.password, t.totpSecrets);
    check('an organisation user enrols an authenticator app at first sign-in', Boolean(secret));
    const cookie = (await context.cookies(t.base)).find((c) => c.name === '__Host-lanyard_session');
    check('the browser keeps the __Host- session cookie over http://127.0.0.1',
      cookie?.secure === true && cookie.httpOnly === true && cookie.sameSite === 'Strict' && cookie.path === '/',
      cookie ?? '(no session cookie)');
    check('and sends it back: /me answers for the signed-in user',
      me.status === 200 && JSON.stringify(me.json).includes(user.email), me);
    checkNoExternalRequests(context, 'session: no request left the origin');
  } finally {
    await context.close();
  }
}
