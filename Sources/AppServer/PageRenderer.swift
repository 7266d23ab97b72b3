import Foundation
import Mustache

/// Renders the blog's pages from the Mustache templates in the templates directory.
/// `{{name}}` escapes HTML (& < > " '); the templates never use the unescaped forms,
/// so nothing from the database or a form reaches a page as markup.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    static let requiredTemplates = ["header", "footer", "index", "post", "error"]

    /// Loads every *.mustache file; fails naming a missing or broken template. Each
    /// template is rendered with `HTMLEscaping`: a `{{% CONTENT_TYPE }}` pragma on a line
    /// of its own (a standalone tag, so it adds no output) goes in front of each file's
    /// text, since a partial starts from swift-mustache's default type; error line
    /// numbers are given back in the file's own numbering.
    init(directory: String) async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppServerError.templates("templates directory \(directory) does not exist")
        }
        MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.contentTypeName)
        var library = MustacheLibrary()
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }
            for file in names.sorted() {
                let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
                do {
                    try library.register("{{% CONTENT_TYPE: \(HTMLEscaping.contentTypeName)}}\n" + text,
                                         named: String(file.dropLast(".mustache".count)))
                } catch let error as MustacheTemplate.ParserError {
                    throw AppServerError.templates("\(directory)/\(file) line \(max(1, error.context.lineNumber - 1)) "
                        + "column \(error.context.columnNumber): \(error.error)")
                }
            }
        } catch let error as AppServerError {
            throw error
        } catch {
            throw AppServerError.templates("cannot load the templates in \(directory): \(error)")
        }
        self.library = library
        for name in Self.requiredTemplates where library.getTemplate(named: name) == nil {
            throw AppServerError.templates("template \(name).mustache is missing from \(directory)")
        }
    }

    func render(_ template: String, _ context: TemplateFields) -> String {
        guard let html = library.render(context, withTemplate: template) else {
            preconditionFailure("template \(template) vanished after it was checked at start")
        }
        return html
    }

    // MARK: contexts (TemplateFields: see there why not dictionaries)

    func frontPage(posts: [Post]) -> String { render("index", frontPageContext(posts: posts)) }

    func postPage(post: Post, comments: [Comment], form: CommentForm, errors: [String: String], csrfToken: String) -> String {
        render("post", postPageContext(post: post, comments: comments, form: form, errors: errors, csrfToken: csrfToken))
    }

    func errorPage(status: Int, heading: String, message: String, link: String = "/", linkLabel: String = "Back to the blog") -> String {
        render("error", errorPageContext(status: status, heading: heading, message: message, link: link, linkLabel: linkLabel))
    }

    func frontPageContext(posts: [Post]) -> TemplateFields {
        TemplateFields([
            "page_title": "foobar.com — notes on building small, fast things",
            "has_posts": !posts.isEmpty,
            "posts": posts.map { post in
                TemplateFields([
                    "id": String(post.id), "title": post.title, "author": post.author,
                    "date_iso": DateText.iso(post.createdAt), "date_human": DateText.human(post.createdAt),
                    "excerpt": PostBody.excerpt(post.body),
                    "comment_label": Self.commentLabel(post.commentCount ?? 0),
                ])
            },
        ])
    }

    func postPageContext(post: Post, comments: [Comment], form: CommentForm, errors: [String: String], csrfToken: String) -> TemplateFields {
        let context = TemplateFields([
            "page_title": "\(post.title) — foobar.com",
            "post_title": post.title, "post_id": String(post.id), "author": post.author,
            "date_iso": DateText.iso(post.createdAt), "date_human": DateText.human(post.createdAt),
            "paragraphs": Self.paragraphContext(post.body),
            "comment_label": Self.commentLabel(comments.count),
            "has_comments": !comments.isEmpty,
            "comments": comments.map { comment in
                TemplateFields([
                    "id": String(comment.id), "author": comment.author,
                    "date_iso": DateText.iso(comment.createdAt), "date_human": DateText.human(comment.createdAt),
                    "paragraphs": Self.paragraphContext(comment.body),
                ])
            },
            "csrf_token": csrfToken,
            "form_author": form.author, "form_body": form.body,
            "has_errors": !errors.isEmpty,
        ])
        if let error = errors["author"] { context.set("author_error", error) }
        if let error = errors["body"] { context.set("body_error", error) }
        return context
    }

    func errorPageContext(status: Int, heading: String, message: String, link: String, linkLabel: String) -> TemplateFields {
        TemplateFields([
            "page_title": "\(heading) — foobar.com", "status": String(status), "heading": heading, "message": message,
            "link": link, "link_label": linkLabel,
        ])
    }

    static func commentLabel(_ count: Int) -> String {
        switch count {
        case 0: "No comments"
        case 1: "1 comment"
        default: "\(count) comments"
        }
    }

    static func paragraphContext(_ text: String) -> [TemplateFields] {
        PostBody.paragraphs(text).map { lines in
            TemplateFields(["lines": lines.enumerated().map { index, line in
                TemplateFields(["text": line, "br": index < lines.count - 1])
            }])
        }
    }
}
