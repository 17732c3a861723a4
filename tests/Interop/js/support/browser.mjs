// What a browser gives the SDK's redirect transport, for node: `window` (its location and the SDK's configuration
// globals), Web Storage, and a user who answers the Globus Auth sign-in page.
//
// With `window` defined the SDK reads GLOBUS_SDK_* settings from window instead of process.env (core/global.js),
// as it does in a web page, so the emulator's origin is put there too.

/** Web Storage semantics (items are own enumerable properties, as Object.keys(localStorage) lists them). */
export class WebStorage {
  getItem(key) {
    return Object.prototype.hasOwnProperty.call(this, key) ? this[key] : null;
  }

  setItem(key, value) {
    this[key] = String(value);
  }

  removeItem(key) {
    delete this[key];
  }

  clear() {
    for (const key of Object.keys(this)) delete this[key];
  }

  key(index) {
    return Object.keys(this)[index] ?? null;
  }

  get length() {
    return Object.keys(this).length;
  }
}

/** Installs window, window.location and sessionStorage; returns the location and the list of pages it was sent to. */
export function installBrowser({ origin, appUrl }) {
  const navigations = [];
  const location = {
    href: appUrl,
    get origin() {
      return new URL(this.href).origin;
    },
    assign(url) {
      navigations.push(String(url));
    },
    replace(url) {
      this.href = String(url);
    },
  };
  globalThis.window = {
    location,
    GLOBUS_SDK_SERVICE_URL_AUTH: origin,
    GLOBUS_SDK_SERVICE_URL_FLOWS: origin,
  };
  globalThis.sessionStorage = new WebStorage();
  return { location, navigations, sessionStorage: globalThis.sessionStorage };
}

function decodeHtml(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag) {
  const attrs = {};
  for (const m of tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)) {
    attrs[m[1].toLowerCase()] = m[2] === undefined ? '' : decodeHtml(m[2]);
  }
  return attrs;
}

/** Opens the sign-in page at `url` and reads its form: action, hidden fields, identities offered, scopes listed. */
export async function openSignInPage(url) {
  const res = await fetch(url, { redirect: 'manual' });
  const html = await res.text();
  if (res.status !== 200) {
    return { status: res.status, html, location: res.headers.get('location') };
  }
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) {
    throw new Error(`no form on the sign-in page:\n${html}`);
  }
  const formAttrs = attributes(form[1]);
  const hidden = {};
  const identities = [];
  for (const m of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const a = attributes(m[1]);
    if (a.type === 'hidden') hidden[a.name] = a.value;
    if (a.type === 'radio' && a.name === 'identity') identities.push(a.value);
  }
  const decisions = [...form[2].matchAll(/<button\b([^>]*)>/gi)].map((m) => attributes(m[1])).filter((a) => a.name === 'decision').map((a) => a.value);
  const scopes = [...html.matchAll(/<li><code>([^<]*)<\/code>/g)].map((m) => decodeHtml(m[1]));
  const message = /<p id="session-message">([^<]*)<\/p>/.exec(html);
  return {
    status: res.status,
    html,
    action: new URL(formAttrs.action, url).toString(),
    method: (formAttrs.method || 'get').toLowerCase(),
    hidden,
    identities,
    decisions,
    scopes,
    sessionMessage: message ? decodeHtml(message[1]) : null,
  };
}

/** Submits the sign-in form as the user would (one identity, Allow or Deny); returns where the browser is sent. */
export async function submitSignIn(page, { identity, decision }) {
  const body = new URLSearchParams({ ...page.hidden, identity, decision });
  const res = await fetch(page.action, {
    method: page.method.toUpperCase(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  await res.text();
  return { status: res.status, location: res.headers.get('location') };
}
