"""What a browser test watches on a page: console errors, failed requests, requests
leaving the site. A module of its own (not conftest) so tests can import it by a
name no other test folder shares."""


class PageWatch:
    """Collects console errors, failed requests and requests leaving the site."""

    def __init__(self, page, allowed_prefix: str):
        self.errors: list[str] = []
        page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(
            f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        # a navigation cancels the previous page's pending loads (net::ERR_ABORTED): not an error
        page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and
                self.errors.append(f"failed: {r.url} {r.failure}"))
        page.on("request", lambda r: r.url.startswith(allowed_prefix) or
                self.errors.append(f"external request: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(
            f"HTTP {r.status}: {r.url}"))
