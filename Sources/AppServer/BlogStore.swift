import Foundation
import MySQLClient

/// The blog's queries, all binary prepared statements with bound parameters, run on
/// pooled connections. Each call's time counts towards the request's database time.
struct BlogStore: Sendable {
    let pool: MySQLConnectionPool
    let maximumCommentsPerPost: Int

    /// The newest posts with their comment counts: one query. The 20 newest come from
    /// the (created_at, id) index in a derived table first, so the join and GROUP BY
    /// touch only their comments, not the whole table.
    static let newestPostsSQL = """
        SELECT p.id, p.title, p.author, p.created_at, p.excerpt, COUNT(c.id) AS comment_count
        FROM (SELECT id, title, author, created_at, SUBSTRING(body, 1, 400) AS excerpt
              FROM posts ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?) AS p
        LEFT JOIN comments AS c ON c.post_id = p.id
        GROUP BY p.id, p.title, p.author, p.created_at, p.excerpt
        ORDER BY p.created_at DESC, p.id DESC
        """

    static let postSQL = "SELECT id, title, author, created_at, body FROM posts WHERE id = ?"

    static let commentsSQL = """
        SELECT id, author, body, created_at FROM comments WHERE post_id = ?
        ORDER BY created_at, id LIMIT ?
        """

    /// Inserts only when the post exists: no row affected means no such post.
    static let insertCommentSQL = "INSERT INTO comments (post_id, author, body) SELECT id, ?, ? FROM posts WHERE id = ?"

    func newestPosts(limit: Int, offset: Int) async throws -> [Post] {
        try await DatabaseTime.measure {
            try await pool.withConnection { connection in
                try await connection.execute(Self.newestPostsSQL, [limit, offset]).rows.map { row in
                    Post(id: try row.decode(at: 0), title: try row.decode(at: 1), author: try row.decode(at: 2),
                         createdAt: try row.decode(at: 3), body: try row.decode(at: 4), commentCount: try row.decode(at: 5))
                }
            }
        }
    }

    /// The post and its comments (oldest first), or nil when there is no such post.
    func post(id: UInt64) async throws -> (Post, [Comment])? {
        try await DatabaseTime.measure {
            try await pool.withConnection { connection -> (Post, [Comment])? in
                guard let row = try await connection.execute(Self.postSQL, [id]).rows.first else { return nil }
                let post = Post(id: try row.decode(at: 0), title: try row.decode(at: 1), author: try row.decode(at: 2),
                                createdAt: try row.decode(at: 3), body: try row.decode(at: 4))
                let comments = try await connection.execute(Self.commentsSQL, [id, maximumCommentsPerPost]).rows.map { row in
                    Comment(id: try row.decode(at: 0), author: try row.decode(at: 1), body: try row.decode(at: 2),
                            createdAt: try row.decode(at: 3))
                }
                return (post, comments)
            }
        }
    }

    /// Adds a comment; returns its id, or nil when the post does not exist.
    func addComment(postID: UInt64, author: String, body: String) async throws -> UInt64? {
        try await DatabaseTime.measure {
            try await pool.withConnection { connection -> UInt64? in
                let result = try await connection.execute(Self.insertCommentSQL, [author, body, postID])
                return result.affectedRows == 1 ? result.lastInsertID : nil
            }
        }
    }

    /// True when the database answers a ping.
    func isHealthy() async -> Bool {
        do {
            try await pool.withConnection { connection in try await connection.ping() }
            return true
        } catch {
            return false
        }
    }
}
