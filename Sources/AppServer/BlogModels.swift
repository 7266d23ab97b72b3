import Foundation

/// A post as the pages and the API show it.
struct Post: Sendable, Encodable {
    var id: UInt64
    var title: String
    var author: String
    var createdAt: Date
    /// The whole body (post page, API) or its first few hundred characters (front page).
    var body: String
    var commentCount: Int?

    enum CodingKeys: String, CodingKey {
        case id, title, author, body
        case createdAt = "created_at"
        case commentCount = "comment_count"
    }
}

/// A comment under a post.
struct Comment: Sendable, Encodable {
    var id: UInt64
    var author: String
    var body: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, author, body
        case createdAt = "created_at"
    }
}

/// `GET /api/posts/{id}`: the post with its comments.
struct PostWithComments: Sendable, Encodable {
    var post: Post
    var comments: [Comment]

    func encode(to encoder: any Encoder) throws {
        try post.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(comments, forKey: .comments)
    }

    private enum Key: String, CodingKey { case comments }
}
