import HTTPTypes
public import NIOCore
public import NIOHTTPTypes

/// Answers `Expect: 100-continue` with an interim `100 Continue` as soon as a request's head
/// arrives, so a client that asks before sending a large body — curl does for bodies over 1 MB, a
/// 10,000-event tracking batch is about 1.1 MB — sends it at once instead of waiting a second for
/// an answer that never comes. The request itself goes on unchanged; its final answer may still be
/// an error (401, 413, …), which the protocol allows after a `100 Continue`.
public final class ExpectContinueHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundOut = HTTPResponsePart

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data),
           request.headerFields[.expect]?.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
