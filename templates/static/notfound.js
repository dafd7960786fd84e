// The 404 page (404.html) is answered by the web server for a missing path at any depth
// below the site, so its links, written for the site root, may point one or more folders
// too deep. The page loads this module once per depth it may be served at; the probe that
// finds it learns the site root from its own URL (static/notfound.js -> root), and the
// deepest root found wins (a shallower one may belong to another site on the server).
// It then re-points the page's relative links, stylesheets and forms at that root.
const root = new URL("../", import.meta.url).href;
const here = new URL(".", location.href).href;
const page = document.documentElement;
const known = page.dataset.siteRoot;
if (here.startsWith(root) && (!known || root.length > known.length)) {
  page.dataset.siteRoot = root;
  const repoint = (el, attr) => {
    const written = el.dataset.siteLink || el.getAttribute(attr);
    if (/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(written)) return;  // absolute or in-page
    el.dataset.siteLink = written;
    el.setAttribute(attr, new URL(written, root).href);
  };
  document.querySelectorAll("link[href], a[href]").forEach((el) => repoint(el, "href"));
  document.querySelectorAll("form[action]").forEach((el) => repoint(el, "action"));
}
