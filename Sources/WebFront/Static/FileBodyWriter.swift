import NIOCore
import NIOHTTP1
import NIOPosix

/// Streams a big file (or ranges of it) to the client in bounded chunks: a chunk is
/// read on NIO's blocking-I/O pool only after the previous one was written, so at most
/// one chunk per response is in memory whatever the file's size or the client's speed.
final class FileBodyWriter {
    enum Segment {
        case bytes(ByteBuffer)
        case file(Range<Int>)
    }

    private let reader: FileReader
    private var segments: [Segment]
    private let chunkSize: Int
    private let context: ChannelHandlerContext
    private let pool: NIOThreadPool
    private let completion: (Result<Int, any Error>) -> Void
    private var written = 0

    init(reader: FileReader, segments: [Segment], chunkSize: Int, context: ChannelHandlerContext,
         pool: NIOThreadPool, completion: @escaping (Result<Int, any Error>) -> Void) {
        self.reader = reader
        self.segments = segments.reversed()
        self.chunkSize = chunkSize
        self.context = context
        self.pool = pool
        self.completion = completion
    }

    func start() { step() }

    private func step() {
        guard let segment = segments.popLast() else {
            reader.close()
            completion(.success(written))
            return
        }
        switch segment {
        case .bytes(let buffer):
            write(buffer)
        case .file(let range):
            let count = min(chunkSize, range.count)
            if range.count > count {
                segments.append(.file((range.lowerBound + count)..<range.upperBound))
            }
            reader.read(offset: range.lowerBound, count: count, on: context.eventLoop, pool: pool)
                .assumeIsolated().whenComplete { result in
                    switch result {
                    case .success(let buffer) where buffer.readableBytes == count:
                        self.write(buffer)
                    case .success:
                        self.fail(FileReadError(errno: 0))   // the file shrank under us
                    case .failure(let error):
                        self.fail(error)
                    }
                }
        }
    }

    private func write(_ buffer: ByteBuffer) {
        written += buffer.readableBytes
        let part = HTTPServerResponsePart.body(.byteBuffer(buffer))
        context.writeAndFlush(NIOAny(part)).assumeIsolated().whenComplete { result in
            switch result {
            case .success: self.step()
            case .failure(let error): self.fail(error)
            }
        }
    }

    private func fail(_ error: any Error) {
        reader.close()
        segments.removeAll()
        completion(.failure(error))
    }
}
