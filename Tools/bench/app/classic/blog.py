"""The foobar.com blog as the classic stack runs it: Flask under uWSGI, PyMySQL to
MariaDB. The same routes, queries and HTML as `onebox app` (Data/templates ported to
Jinja2 in templates/), so Tools/bench/app/run compares like with like.

Configured by environment: BLOG_DB_SOCKET, BLOG_DB_USER, BLOG_DB_PASSWORD, BLOG_DB_NAME,
BLOG_CSRF_SECRET. Each uWSGI worker keeps one connection (pinged and reopened when the
server went away), as a typical Flask + PyMySQL deployment does.
"""
import hashlib
import hmac
import os
import secrets

import pymysql
from flask import Flask, abort, make_response, redirect, render_template, request

app = Flask(__name__)
SECRET = hashlib.sha256(os.environ.get("BLOG_CSRF_SECRET", secrets.token_hex(16)).encode()).digest()
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
_connection = None

# The same two statements as onebox app's BlogStore: the newest posts by the
# (created_at, id) index, then their comment counts by the post_id index in one
# IN list of 20 places (0 pads: no post has it).
NEWEST_POSTS = """
    SELECT id, title, author, created_at, SUBSTRING(body, 1, 400) FROM posts
    ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s"""
COUNT_BATCH = 20
COMMENT_COUNTS = ("SELECT post_id, COUNT(*) FROM comments WHERE post_id IN (" + ", ".join(["%s"] * COUNT_BATCH)
                  + ") GROUP BY post_id")
POST = "SELECT id, title, author, created_at, body FROM posts WHERE id = %s"
COMMENTS = "SELECT id, author, body, created_at FROM comments WHERE post_id = %s ORDER BY created_at, id LIMIT %s"
INSERT_COMMENT = "INSERT INTO comments (post_id, author, body) SELECT id, %s, %s FROM posts WHERE id = %s"


def db():
    global _connection
    if _connection is None or not _connection.open:
        _connection = pymysql.connect(unix_socket=os.environ["BLOG_DB_SOCKET"], user=os.environ.get("BLOG_DB_USER", "root"),
                                      password=os.environ.get("BLOG_DB_PASSWORD", ""), database=os.environ.get("BLOG_DB_NAME", "foobar"),
                                      charset="utf8mb4", autocommit=True)
    return _connection


def query(sql, args):
    try:
        cursor = db().cursor()
    except pymysql.err.OperationalError:
        abort(503)
    with cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def paragraphs(text):
    result, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip(" \t")
        if not line:
            if current:
                result.append(current)
            current = []
        else:
            current.append(line)
    if current:
        result.append(current)
    return result


def excerpt(text, limit=280):
    found = paragraphs(text)
    first = " ".join(found[0]) if found else ""
    if len(first) <= limit:
        return first
    cut = first[:limit]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut + "…"


def comment_label(count):
    return "No comments" if count == 0 else "1 comment" if count == 1 else f"{count} comments"


def dates(when):
    return {"date_iso": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "date_human": f"{when.day} {MONTHS[when.month - 1]} {when.year}"}


def token(cookie):
    return hmac.new(SECRET, cookie.encode(), hashlib.sha256).hexdigest()


def well_formed(cookie):
    return cookie is not None and len(cookie) == 32 and all(c in "0123456789abcdef" for c in cookie)


def newest_posts(limit, offset):
    rows = query(NEWEST_POSTS, (limit, offset))
    counts = {}
    for start in range(0, len(rows), COUNT_BATCH):
        ids = [r[0] for r in rows[start:start + COUNT_BATCH]]
        counts.update(query(COMMENT_COUNTS, ids + [0] * (COUNT_BATCH - len(ids))))
    return [(r[0], r[1], r[2], r[3], r[4], counts.get(r[0], 0)) for r in rows]


@app.get("/")
def front_page():
    posts = [dict(id=r[0], title=r[1], author=r[2], excerpt=excerpt(r[4]), comment_label=comment_label(r[5]), **dates(r[3]))
             for r in newest_posts(20, 0)]
    return render_template("index.html", page_title="foobar.com — notes on building small, fast things", posts=posts)


def post_page(post_id, form_author="", form_body="", errors=None, status=200):
    if post_id <= 0:
        abort(404)
    rows = query(POST, (post_id,))
    if not rows:
        abort(404)
    post = rows[0]
    comments = [dict(id=r[0], author=r[1], paragraphs=paragraphs(r[2]), **dates(r[3])) for r in query(COMMENTS, (post_id, 1000))]
    cookie = request.cookies.get("csrf")
    new_cookie = None
    if not well_formed(cookie):
        cookie = new_cookie = secrets.token_hex(16)
    errors = errors or {}
    html = render_template("post.html", page_title=f"{post[1]} — foobar.com", post_title=post[1], post_id=post[0], author=post[2],
                           paragraphs=paragraphs(post[4]), comment_label=comment_label(len(comments)), comments=comments,
                           csrf_token=token(cookie), form_author=form_author, form_body=form_body, errors=errors, **dates(post[3]))
    response = make_response(html, status)
    if new_cookie:
        response.set_cookie("csrf", new_cookie, path="/", httponly=True, samesite="Lax",
                            secure=request.headers.get("X-Forwarded-Proto") == "https")
    return response


@app.get("/posts/<int(signed=True):post_id>")
def show_post(post_id):
    return post_page(post_id)


@app.post("/posts/<int(signed=True):post_id>/comments")
def add_comment(post_id):
    author, body = request.form.get("author", ""), request.form.get("body", "")
    cookie = request.cookies.get("csrf")
    if not well_formed(cookie) or not hmac.compare_digest(token(cookie), request.form.get("csrf_token", "")):
        abort(403)
    errors = {}
    if not author.strip() or len(author.strip()) > 100:
        errors["author"] = "Please enter your name." if not author.strip() else "A name can be at most 100 characters."
    if not body.strip() or len(body.strip()) > 5000:
        errors["body"] = "Please write a comment." if not body.strip() else f"A comment can be at most 5000 characters (this one has {len(body.strip())})."
    if errors:
        return post_page(post_id, author, body, errors, 400)
    cursor = db().cursor()
    with cursor:
        if cursor.execute(INSERT_COMMENT, (author.strip(), body.strip().replace("\r\n", "\n"), post_id)) == 0:
            abort(404)
        return redirect(f"/posts/{post_id}#comment-{cursor.lastrowid}", 303)


@app.get("/healthz")
def healthz():
    try:
        db().ping(reconnect=True)
    except pymysql.err.MySQLError:
        return "database unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@app.errorhandler(404)
def not_found(_):
    return render_template("error.html", page_title="Page not found — foobar.com", status=404, heading="Page not found",
                           message="There is no page at this address.", link="/", link_label="Back to the blog"), 404
