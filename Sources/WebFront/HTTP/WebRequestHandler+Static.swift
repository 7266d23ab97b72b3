import NIOCore
import NIOHTTP1
import NIOPosix

/// Static files: a small file answers from the cache in one write; a big one streams
/// from disk in bounded chunks on the blocking-I/O pool.
extension WebRequestHandler {
    /// `cached` is the memory-cache entry the lookup found still valid for `status`, if any.
    func serveFile(path: String, status: FileStatus, cached: CachedFile?, sitePath: SitePath, head: HTTPRequestHead,
                   runtime: WebRuntime, context: ChannelHandlerContext) {
        // The type comes from the file served: `/docs/` is `docs/index.html`.
        let contentType = cached?.contentType ?? MediaTypes.contentType(forFilePath: path)
        let cacheControl = runtime.cacheControl(forPath: "/" + sitePath.relativePath)
        let cached = cached ?? runtime.cache.load(path: path, status: status, contentType: contentType)
        var gzipPath: String?
        var gzipLength = cached?.gzipBody?.readableBytes
        let compressible = MediaTypes.isCompressible(contentType)
        if cached == nil, compressible, StaticResponsePlan.acceptsGzip(head.headers),
           let sibling = FileStatus(path: path + ".gz"), sibling.isRegularFile {
            gzipPath = path + ".gz"
            gzipLength = sibling.size
        }
        let representation = StaticResponsePlan.Representation(
            length: status.size, contentType: contentType, entityTag: cached?.entityTag ?? status.entityTag,
            lastModifiedSeconds: status.modifiedSeconds,
            lastModified: cached?.lastModified ?? HTTPDate.format(epochSeconds: status.modifiedSeconds),
            gzipLength: gzipLength, cacheControl: cacheControl, isCompressible: compressible)
        let plan = StaticResponsePlan.make(requestHeaders: head.headers, file: representation,
                                           boundary: MultipartByteRanges.makeBoundary())
        let sendsBody = head.method != .HEAD && plan.body != .none
        writeHead(plan.status, headers: plan.headers, context: context)
        guard sendsBody else {
            writeEnd(bodyBytes: 0, context: context)
            return
        }
        if let cached {
            let source = cached.body
            switch plan.body {
            case .whole(let gzip):
                writeBody(gzip ? cached.gzipBody! : source, context: context)
            case .range(let range):
                writeBody(source.getSlice(at: source.readerIndex + range.lowerBound, length: range.count)!, context: context)
            case .multipart(let ranges, let boundary):
                for range in ranges {
                    writeBody(ByteBuffer(string: MultipartByteRanges.partHeader(range: range, boundary: boundary, contentType: contentType, totalLength: status.size)), context: context)
                    writeBody(source.getSlice(at: source.readerIndex + range.lowerBound, length: range.count)!, context: context)
                }
                writeBody(ByteBuffer(string: MultipartByteRanges.trailer(boundary: boundary)), context: context)
            case .none:
                break
            }
            writeEnd(bodyBytes: plan.contentLength, context: context)
            return
        }
        // A big file: stream it from disk.
        var segments: [FileBodyWriter.Segment] = []
        var filePath = path
        switch plan.body {
        case .whole(let gzip):
            if gzip, let gzipPath { filePath = gzipPath }
            segments = [.file(0..<(gzip ? (gzipLength ?? 0) : status.size))]
        case .range(let range):
            segments = [.file(range)]
        case .multipart(let ranges, let boundary):
            for range in ranges {
                segments.append(.bytes(ByteBuffer(string: MultipartByteRanges.partHeader(range: range, boundary: boundary, contentType: contentType, totalLength: status.size))))
                segments.append(.file(range))
            }
            segments.append(.bytes(ByteBuffer(string: MultipartByteRanges.trailer(boundary: boundary))))
        case .none:
            break
        }
        guard let reader = FileReader(path: filePath) else {
            // Vanished between stat and open: the head is out, so only a cut is honest.
            context.close(promise: nil)
            return
        }
        let writer = FileBodyWriter(reader: reader, segments: segments, chunkSize: runtime.configuration.fileChunkSize,
                                    context: context, pool: NIOThreadPool.singleton) { [weak self] result in
            guard let self, let context = self.context else { return }
            switch result {
            case .success(let bytes): self.writeEnd(bodyBytes: bytes, context: context)
            case .failure: context.close(promise: nil)
            }
        }
        writer.start()
    }
}
