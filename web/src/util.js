// Small helpers shared by the page's parts.

// fetchJSON gets a same-origin URL as JSON; it throws on any non-2xx
// answer, with the API's error message when there is one.
export async function fetchJSON(url, init) {
  const r = await fetch(url, init);
  if (!r.ok) {
    let msg = `${r.status}`;
    try { msg = (await r.json()).error?.message || msg; } catch { /* not JSON */ }
    const err = new Error(msg);
    err.status = r.status;
    throw err;
  }
  return r.json();
}

// store keeps per-user choices (language, theme, sound) in localStorage,
// and works, forgetting, where storage is refused.
export const store = {
  get(k, def) {
    try { return localStorage.getItem("straitwatch." + k) ?? def; } catch { return def; }
  },
  set(k, v) {
    try { localStorage.setItem("straitwatch." + k, v); } catch { /* private mode */ }
  },
};

// el makes an element with a class and text.
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
