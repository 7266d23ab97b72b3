#!/usr/bin/env python3
"""Drives headless Chromium like a reader: opens a blog post, fills in the comment form,
submits it, follows the redirect, and saves the page's DOM and a screenshot.

    Tools/browser-comment.py --chromium /usr/bin/chromium --port 8443 --post 2 \
        --author NAME --body TEXT --out DIR [--address 127.0.0.1] [--from-home]

www.foobar.com is mapped to ADDRESS:PORT (--host-resolver-rules; ADDRESS is what the
site's DNS answered, 127.0.0.1 by default), so the browser sends the real Host and SNI.
With --from-home the browser first opens https://www.foobar.com/, reads the post titles
listed there and saves home.png, then follows the post's link as a click; without it,
it opens the post's URL directly. Chromium is controlled over --remote-debugging-pipe
(the DevTools protocol as NUL-separated JSON on fds 3 and 4): no extra Python packages.
Prints one JSON object on stdout: the URL after the redirect, the comment element's id,
its rectangle in the viewport, the paths of dom.html and page.png (+ comment.png, the
comment alone), and with --from-home the home page's URL, post titles and home.png.
Exits non-zero with a message on stderr when a step fails or takes longer than --timeout
seconds.
"""
import argparse
import base64
import fcntl
import json
import os
import queue
import subprocess
import sys
import threading
import time


class Browser:
    def __init__(self, chromium, address, port, profile, timeout):
        self.timeout = timeout
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Move the child's ends above 4 so dup2 onto 3 and 4 cannot clobber one another.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def wire_fds():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--no-first-run", "--disable-gpu",
             "--disable-dev-shm-usage", "--disable-crash-reporter", "--disable-breakpad",
             "--disable-extensions", "--hide-scrollbars", "--ignore-certificate-errors",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--window-size=1200,900",
             f"--host-resolver-rules=MAP www.foobar.com {address}:{port}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "wb"),
            preexec_fn=wire_fds, pass_fds=(3, 4))
        os.close(child_in)
        os.close(child_out)
        self.writer = os.fdopen(to_child_w, "wb", buffering=0)
        self.reader = os.fdopen(from_child_r, "rb", buffering=0)
        self.messages = queue.Queue()
        self.next_id = 0
        self.pending_events = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = self.reader.read(65536)
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(message))

    def _next_message(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from Chromium in time")
        try:
            message = self.messages.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("no answer from Chromium in time")
        if message is None:
            raise RuntimeError("Chromium closed the DevTools pipe")
        return message

    def send(self, method, params=None, session=None):
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        self.writer.write(json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._next_message(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.pending_events.append(message)

    def wait_event(self, method, session):
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self.pending_events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self.pending_events.pop(index)
            message = self._next_message(deadline)
            if "method" in message:
                self.pending_events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--address", default="127.0.0.1", help="the address www.foobar.com resolves to")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--post", type=int, required=True)
    parser.add_argument("--author", required=True)
    parser.add_argument("--body", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--from-home", action="store_true", help="open / first and click the post's link")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    profile = os.path.join(args.out, "profile")
    os.makedirs(profile, exist_ok=True)
    browser = Browser(args.chromium, args.address, args.port, profile, args.timeout)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.send("Page.enable", session=session)
        browser.send("Runtime.enable", session=session)

        def evaluate(expression):
            result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True}, session=session)
            if "exceptionDetails" in result:
                raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
            return result["result"].get("value")

        def navigate_and_wait(action):
            browser.pending_events = [e for e in browser.pending_events if e["method"] != "Page.loadEventFired"]
            action()
            browser.wait_event("Page.loadEventFired", session)

        def screenshot(name):
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            path = os.path.join(args.out, name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            return path

        post_url = f"https://www.foobar.com/posts/{args.post}"
        home = None
        if args.from_home:
            navigate_and_wait(lambda: browser.send("Page.navigate", {"url": "https://www.foobar.com/"}, session=session))
            home = evaluate("""({url: location.href, title: document.title,
                posts: [...document.querySelectorAll('li.post-summary h2 a')].map(a => ({title: a.textContent, href: a.href}))})""")
            home["screenshot"] = screenshot("home.png")
            link = f"li.post-summary h2 a[href='/posts/{args.post}']"
            if not evaluate(f"document.querySelector({json.dumps(link)}) !== null"):
                raise RuntimeError(f"the home page lists no link to {post_url}: {home['posts']!r}")
            navigate_and_wait(lambda: evaluate(f"document.querySelector({json.dumps(link)}).click(); true"))
            if evaluate("location.href") != post_url:
                raise RuntimeError(f"the post's link led to {evaluate('location.href')}, not {post_url}")
        else:
            navigate_and_wait(lambda: browser.send("Page.navigate", {"url": post_url}, session=session))
        title = evaluate("document.querySelector('h1') ? document.querySelector('h1').textContent : ''")
        if not title:
            raise RuntimeError(f"{post_url} has no <h1>: {evaluate('document.body.innerText')[:500]!r}")
        # Type into the form's fields as a person would (focus, insert text), then click the button.
        for field, text in (("author", args.author), ("body", args.body)):
            evaluate(f"document.getElementById({json.dumps(field)}).focus()")
            browser.send("Input.insertText", {"text": text}, session=session)
        typed = evaluate("[document.getElementById('author').value, document.getElementById('body').value]")
        if typed != [args.author, args.body]:
            raise RuntimeError(f"the form holds {typed!r} after typing")
        navigate_and_wait(lambda: evaluate("document.querySelector('form.comment-form button[type=submit]').click(); true"))

        state = evaluate("""(() => {
            const items = [...document.querySelectorAll('li.comment')];
            const last = items[items.length - 1];
            const rect = last ? last.getBoundingClientRect() : null;
            return {url: location.href, hash: location.hash, title: document.title,
                    commentId: last ? last.id : null, commentText: last ? last.innerText : null,
                    rect: rect ? {x: rect.x, y: rect.y, width: rect.width, height: rect.height} : null,
                    viewportHeight: window.innerHeight, scrollX: window.scrollX, scrollY: window.scrollY};
        })()""")
        dom = evaluate("document.documentElement.outerHTML")
        dom_path = os.path.join(args.out, "dom.html")
        with open(dom_path, "w", encoding="utf-8") as f:
            f.write(dom)
        page_path = screenshot("page.png")
        comment_path = None
        if state.get("rect") and state["rect"]["width"] > 0 and state["rect"]["height"] > 0:
            rect = state["rect"]
            # The clip is in document coordinates; the rectangle is the viewport's.
            clip = {"x": rect["x"] + state["scrollX"], "y": rect["y"] + state["scrollY"],
                    "width": rect["width"], "height": rect["height"], "scale": 1}
            shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip}, session=session)
            comment_path = os.path.join(args.out, "comment.png")
            with open(comment_path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        state.update({"dom": dom_path, "screenshot": page_path, "commentScreenshot": comment_path, "postTitle": title})
        if home is not None:
            state["home"] = home
        print(json.dumps(state))
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # one clear line for the test's failure message
        print(f"browser-comment: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
